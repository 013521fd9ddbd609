using FhirGateway.Core.Audit;
using FhirGateway.Core.Errors;
using FhirGateway.Core.Tokens;
using Microsoft.Extensions.Logging;

namespace FhirGateway.Core.Auth;

/// <summary>
/// Logs out of a platform: revokes at its revocation endpoint (RFC 7009), refresh token first since revoking
/// it ends the grant on most servers (§2.1), then the access token; best effort, since the local connection is
/// removed in every case and a user must never be stuck connected because a platform is down.
/// </summary>
internal sealed class ConnectionLogout(
    SmartClientResolver resolver, TokenEndpointClient tokenEndpoint, ITokenStore store, IConnectionEvents events,
    TimeProvider time, GatewayAudit audit, ILogger<ConnectionLogout> logger)
{
    public async Task<bool> LogoutAsync(OwnerKey owner, string platformId, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var platform = resolver.Find(platformId);
        try
        {
            var connection = await store.GetAsync(owner, platform.Id, cancellationToken).ConfigureAwait(false);
            var revocation = connection is null ? "not connected" : await RevokeAsync(platform, connection, cancellationToken).ConfigureAwait(false);

            var removed = await store.RemoveAsync(owner, platform.Id, cancellationToken).ConfigureAwait(false);
            await events.PublishAsync(new ConnectionEvent(owner, platform.Id, ConnectionEventKind.Removed), CancellationToken.None).ConfigureAwait(false);
            SmartAuthLog.LoggedOut(logger, platform.Id, removed);
            audit.Authorization(AuditAction.TokenRevoke, AuditOutcome.Success, owner, platform.Id, revocation, time.GetElapsedTime(started));
            return removed;
        }
        catch (GatewayException e)
        {
            audit.Authorization(AuditAction.TokenRevoke, AuditOutcome.Failure, owner, platform.Id, $"HTTP {(int)e.Status}", time.GetElapsedTime(started));
            throw;
        }
    }

    /// <summary>Returns what happened at the platform, for the audit event.</summary>
    private async Task<string> RevokeAsync(Platforms.Platform platform, PlatformConnection connection, CancellationToken cancellationToken)
    {
        SmartClient client;
        try
        {
            client = await resolver.ResolveAsync(platform, wantIdentity: false, cancellationToken).ConfigureAwait(false);
        }
        catch (GatewayException e)
        {
            SmartAuthLog.RevokeFailed(logger, platform.Id, "none", e.GetType().Name);
            return "revocation failed: discovery";
        }

        if (client.Endpoints.RevokeUrl is not { } revokeUrl)
        {
            SmartAuthLog.RevokeUnavailable(logger, platform.Id);
            return "no revocation endpoint";
        }

        var revoked = true;
        if (connection.RefreshToken is { } refreshToken)
        {
            revoked &= await RevokeOneAsync(client, revokeUrl, refreshToken, "refresh_token", cancellationToken).ConfigureAwait(false);
        }

        revoked &= await RevokeOneAsync(client, revokeUrl, connection.AccessToken, "access_token", cancellationToken).ConfigureAwait(false);
        return revoked ? "revoked" : "revocation failed";
    }

    private async Task<bool> RevokeOneAsync(SmartClient client, string revokeUrl, string token, string hint, CancellationToken cancellationToken)
    {
        try
        {
            await tokenEndpoint.RevokeAsync(client, revokeUrl, token, hint, cancellationToken).ConfigureAwait(false);
            SmartAuthLog.Revoked(logger, client.PlatformId, hint);
            return true;
        }
        catch (OAuthRefusedException e)
        {
            SmartAuthLog.RevokeFailed(logger, client.PlatformId, hint, e.Error);
            return false;
        }
        catch (GatewayException e)
        {
            SmartAuthLog.RevokeFailed(logger, client.PlatformId, hint, $"HTTP {(int)e.Status}");
            return false;
        }
    }
}
