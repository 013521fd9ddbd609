using System.Net;
using System.Security.Cryptography;
using System.Text;
using FhirGateway.Core.Audit;
using FhirGateway.Core.Errors;
using FhirGateway.Core.Tokens;
using Microsoft.Extensions.Logging;

namespace FhirGateway.Core.Auth;

/// <summary>
/// Completes an authorization from the redirect back (RFC 6749 §4.1.2, SMART App Launch 2.2 §2.0.7-2.0.8).
/// </summary>
/// <remarks>
/// Order of checks, each before anything is stored: the state is taken (atomically deleted) first, so every
/// callback consumes it, whatever follows; then its expiry; then the browser binding; then a provider error;
/// then RFC 9207 <c>iss</c>; then the code exchange. A callback from another browser session consumes the state
/// too: leaving it would let whoever holds a leaked callback URL keep trying, while the cost to the real user
/// is one more click on "log in". Only a transient token endpoint failure (unreachable, 5xx, timeout) puts the
/// state back, with its original expiry, so reloading the callback retries until it expires.
/// </remarks>
internal sealed class AuthorizationCallbackHandler(
    SmartClientResolver resolver,
    TokenEndpointClient tokenEndpoint,
    IdTokenValidator idTokens,
    ITokenStore store,
    IConnectionEvents events,
    TimeProvider time,
    GatewayAudit audit,
    ILogger<AuthorizationCallbackHandler> logger)
{
    public async Task<AuthorizationCompleted> CompleteAsync(AuthorizationCallback callback, OwnerKey? caller, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        if (string.IsNullOrEmpty(callback.State))
        {
            SmartAuthLog.CallbackRejected(logger, "-", "no state");
            audit.Authorization(AuditAction.AuthorizeCallback, AuditOutcome.InvalidState, caller, "-", "no state", time.GetElapsedTime(started));
            throw new InvalidAuthorizationStateException("The authorization response has no state; start the login again.");
        }

        var pending = await store.TakePendingAsync(callback.State, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (pending is null || pending.ExpiresAt <= now)
        {
            var reason = pending is null ? "unknown or used state" : "expired state";
            SmartAuthLog.CallbackRejected(logger, pending?.PlatformId ?? "-", reason);
            audit.Authorization(AuditAction.AuthorizeCallback, AuditOutcome.InvalidState, caller, pending?.PlatformId ?? "-", reason, time.GetElapsedTime(started));
            throw new InvalidAuthorizationStateException("This login link is unknown, already used or expired; start the login again.");
        }

        try
        {
            var completed = await CompletePendingAsync(pending, callback, caller, cancellationToken).ConfigureAwait(false);
            audit.Authorization(AuditAction.AuthorizeCallback, AuditOutcome.Success, completed.Owner, completed.PlatformId, "connected", time.GetElapsedTime(started));
            return completed;
        }
        catch (GatewayException failure)
        {
            // Recorded against whoever presented the callback; the pending owner when that is unknown (a gateway key flow).
            var (outcome, reason) = AuditReason.Of(failure, AuditOutcome.Failure, $"HTTP {(int)failure.Status}");
            audit.Authorization(AuditAction.AuthorizeCallback, outcome, caller ?? OwnerKey.Parse(pending.Owner), pending.PlatformId, reason, time.GetElapsedTime(started));
            if (pending.ReturnUrl is not null)
            {
                // The page that started the flow shows the failure (only a local path: AuthorizationStarter.LocalPath).
                AuthorizationFailure.Attach(failure, pending.PlatformId, pending.ReturnUrl);
            }

            throw;
        }
    }

    private async Task<AuthorizationCompleted> CompletePendingAsync(
        PendingAuthorization pending, AuthorizationCallback callback, OwnerKey? caller, CancellationToken cancellationToken)
    {
        var owner = OwnerKey.Parse(pending.Owner);
        if (owner.IsBrowserSession && !SameOwner(owner, caller))
        {
            SmartAuthLog.CallbackRejected(logger, pending.PlatformId, "other browser session");
            throw AuditReason.Attach(new InvalidAuthorizationStateException("This login was started in another browser session; start the login again here."),
                AuditOutcome.InvalidState, "other browser session");
        }

        if (callback.Error is not null)
        {
            var error = OAuthText.Error(callback.Error);
            SmartAuthLog.CallbackRejected(logger, pending.PlatformId, "provider error " + error);
            throw AuditReason.Attach(new AuthorizationDeniedException(pending.PlatformId, error, OAuthText.Description(callback.ErrorDescription)),
                AuditOutcome.Denied, "provider error " + error);
        }

        if (string.IsNullOrEmpty(callback.Code))
        {
            SmartAuthLog.CallbackRejected(logger, pending.PlatformId, "no code");
            throw AuditReason.Attach(new InvalidAuthorizationStateException("The authorization response has neither a code nor an error; start the login again."),
                AuditOutcome.InvalidState, "no code");
        }

        SmartClient client;
        string? issuer;
        TokenResponse token;
        try
        {
            client = await resolver.ResolveAsync(resolver.Find(pending.PlatformId), wantIdentity: pending.Nonce is not null, cancellationToken).ConfigureAwait(false);
            issuer = pending.Issuer ?? client.Endpoints.Issuer;
            CheckIssuer(callback.Issuer, issuer, client);
            token = await tokenEndpoint.ExchangeCodeAsync(client, callback.Code, pending.RedirectUri, pending.CodeVerifier, cancellationToken).ConfigureAwait(false);
        }
        catch (AuthorizationServerException e)
        {
            // Transient: put the state back so the same callback can be retried until the original expiry.
            await store.SavePendingAsync(pending, CancellationToken.None).ConfigureAwait(false);
            SmartAuthLog.CallbackFailed(logger, pending.PlatformId, (int)e.Status);
            AuditReason.Attach(e, AuditOutcome.Failure, $"token endpoint HTTP {(int)e.Status}");
            throw;
        }
        catch (OAuthRefusedException e)
        {
            SmartAuthLog.CallbackRejected(logger, pending.PlatformId, "code refused " + e.Error);
            throw AuditReason.Attach(new AuthorizationServerException(HttpStatusCode.BadGateway,
                e.Error == "invalid_client"
                    ? $"Platform '{pending.PlatformId}' refused the gateway's client credentials (invalid_client); check the gateway's client settings."
                    : $"Platform '{pending.PlatformId}' refused the authorization code ({e.Error}); start the login again."),
                AuditOutcome.Denied, "code refused " + e.Error);
        }

        var fhirUser = token.IdToken is { Length: > 0 } idToken
            ? await idTokens.ReadFhirUserAsync(client, idToken, issuer, pending.Nonce, cancellationToken).ConfigureAwait(false)
            : null;
        var connection = ConnectionTokens.Connected(client.PlatformId, token, fhirUser, time.GetUtcNow());
        await store.SaveAsync(owner, connection, cancellationToken).ConfigureAwait(false);
        await events.PublishAsync(new ConnectionEvent(owner, client.PlatformId, ConnectionEventKind.Connected), cancellationToken).ConfigureAwait(false);
        SmartAuthLog.Connected(logger, client.PlatformId, connection.RefreshToken is not null, fhirUser is not null);
        return new AuthorizationCompleted(client.PlatformId, owner, ConnectionStatus.From(connection, time.GetUtcNow()), pending.ReturnUrl);
    }

    /// <summary>
    /// RFC 9207 §2.4: <c>iss</c>, when sent, must be the issuer the request went to (simple string comparison;
    /// never the FHIR base). A server that advertises <c>authorization_response_iss_parameter_supported</c> must send
    /// it. When the issuer is unknown (no discovery), <c>iss</c> cannot be checked; then no id_token claim is used either.
    /// </summary>
    private void CheckIssuer(string? sent, string? expected, SmartClient client)
    {
        if (sent is null)
        {
            if (client.Endpoints.IssParameterRequired)
            {
                SmartAuthLog.CallbackRejected(logger, client.PlatformId, "iss missing");
                throw AuditReason.Attach(new InvalidAuthorizationStateException("The authorization response lacks the issuer (iss) its server promises to send; start the login again."),
                    AuditOutcome.InvalidState, "iss missing");
            }

            return;
        }

        if (expected is null)
        {
            SmartAuthLog.IssuerUnchecked(logger, client.PlatformId);
            return;
        }

        if (!string.Equals(sent, expected, StringComparison.Ordinal))
        {
            SmartAuthLog.CallbackRejected(logger, client.PlatformId, "iss mismatch");
            throw AuditReason.Attach(new InvalidAuthorizationStateException("The authorization response came from an unexpected issuer; start the login again."),
                AuditOutcome.InvalidState, "iss mismatch");
        }
    }

    private static bool SameOwner(OwnerKey owner, OwnerKey? caller) =>
        caller is { } c && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(owner.Value), Encoding.UTF8.GetBytes(c.Value));
}
