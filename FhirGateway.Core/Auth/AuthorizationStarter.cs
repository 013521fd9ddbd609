using System.Net;
using FhirGateway.Core.Audit;
using FhirGateway.Core.Errors;
using FhirGateway.Core.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Auth;

/// <summary>
/// Starts a SMART standalone launch (SMART App Launch 2.2 §2.0.5-2.0.6): stores the pending authorization and
/// builds the authorize URL with <c>aud</c>, PKCE S256, <c>state</c> and, with <c>openid</c>, a <c>nonce</c>.
/// </summary>
internal sealed class AuthorizationStarter(
    SmartClientResolver resolver, ITokenStore store, IOptions<SmartAuthOptions> options, TimeProvider time, GatewayAudit audit,
    ILogger<AuthorizationStarter> logger)
{
    /// <summary>Used when neither the caller nor the platform file names scopes: a SMART v2 patient-facing login.</summary>
    private static readonly string[] DefaultScopes = ["openid", "fhirUser", "launch/patient", "offline_access", "patient/*.rs"];

    public async Task<AuthorizationStart> StartAsync(OwnerKey owner, string platformId, IReadOnlyList<string>? scopes, string? returnUrl, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            var start = await StartCoreAsync(owner, platformId, scopes, returnUrl, cancellationToken).ConfigureAwait(false);
            audit.Authorization(AuditAction.AuthorizeStart, AuditOutcome.Success, owner, start.PlatformId, "pending", time.GetElapsedTime(started));
            return start;
        }
        catch (GatewayException e)
        {
            audit.Authorization(AuditAction.AuthorizeStart, AuditOutcome.Failure, owner, platformId, $"HTTP {(int)e.Status}", time.GetElapsedTime(started));
            throw;
        }
    }

    private async Task<AuthorizationStart> StartCoreAsync(OwnerKey owner, string platformId, IReadOnlyList<string>? scopes, string? returnUrl, CancellationToken cancellationToken)
    {
        var platform = resolver.Find(platformId);
        var requested = scopes is { Count: > 0 } ? Validated(scopes) : null;
        var configured = platform.Definition.OAuth.Scopes;
        var wantIdentity = (requested ?? configured?.PublicClient.Concat(configured.ConfidentialClient) ?? DefaultScopes).Contains("openid", StringComparer.Ordinal);
        var client = await resolver.ResolveAsync(platform, wantIdentity, cancellationToken).ConfigureAwait(false);
        var authorizeUrl = SmartClientResolver.AuthorizeUrl(client);

        var platformScopes = configured?.For(client.IsConfidential);
        var scopeList = requested ?? (platformScopes is { Count: > 0 } ? platformScopes : DefaultScopes);
        var scope = string.Join(' ', scopeList);
        var now = time.GetUtcNow();
        var settings = options.Value;
        var pending = new PendingAuthorization
        {
            State = Pkce.NewRandomValue(),
            PlatformId = platform.Id,
            Owner = owner.Value,
            CodeVerifier = Pkce.NewRandomValue(),
            RedirectUri = settings.RedirectUri!,
            Audience = client.FhirBaseUrl,
            Scope = scope,
            Nonce = scopeList.Contains("openid", StringComparer.Ordinal) ? Pkce.NewRandomValue() : null,
            Issuer = client.Endpoints.Issuer,
            ReturnUrl = LocalPath(returnUrl),
            CreatedAt = now,
            ExpiresAt = now + settings.PendingLifetime,
        };
        await store.SavePendingAsync(pending, cancellationToken).ConfigureAwait(false);
        SmartAuthLog.Started(logger, platform.Id, client.AuthMethod);
        return new AuthorizationStart(platform.Id, BuildAuthorizeUrl(authorizeUrl, client, pending), pending.State, pending.ExpiresAt);
    }

    private static Uri BuildAuthorizeUrl(string authorizeUrl, SmartClient client, PendingAuthorization pending)
    {
        var query = new List<KeyValuePair<string, string>>
        {
            new("response_type", "code"),
            new("client_id", client.ClientId),
            new("redirect_uri", pending.RedirectUri),
            new("scope", pending.Scope),
            new("state", pending.State),
            // SMART App Launch 2.2 §2.0.5: aud is the FHIR base the token is for.
            new("aud", pending.Audience),
            new("code_challenge", Pkce.Challenge(pending.CodeVerifier)),
            new("code_challenge_method", "S256"),
        };
        if (pending.Nonce is not null)
        {
            query.Add(new("nonce", pending.Nonce));
        }

        var separator = authorizeUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        return new Uri(authorizeUrl + separator + string.Join('&', query.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}")));
    }

    /// <summary>RFC 6749 §3.3: scope tokens are printable ASCII without space, quote or backslash.</summary>
    private static List<string> Validated(IReadOnlyList<string> scopes)
    {
        foreach (var scope in scopes)
        {
            if (string.IsNullOrEmpty(scope) || scope.Any(c => c is <= ' ' or > '~' or '"' or '\\'))
            {
                throw new GatewayException(HttpStatusCode.BadRequest, "invalid", "A scope is empty or contains a character OAuth does not allow (RFC 6749 §3.3).");
            }
        }

        return scopes.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Only a local path: starts with one '/', so never another host (<c>//evil</c>, <c>/\evil</c>).</summary>
    internal static string? LocalPath(string? returnUrl) =>
        returnUrl is ['/', ..] && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            && !returnUrl.Any(char.IsControl)
            ? returnUrl
            : null;
}
