using Microsoft.Extensions.Logging;

namespace FhirGateway.Core.Auth;

/// <summary>
/// SMART authorization logs: platform id and outcome only. Never a token, code, verifier, state, secret or
/// owner key; OAuth error codes are sanitized before they get here.
/// </summary>
internal static partial class SmartAuthLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Authorization started for platform {PlatformId} (client authentication {AuthMethod}).")]
    public static partial void Started(ILogger logger, string platformId, ClientAuthMethod authMethod);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Platform {PlatformId} connected (refresh token: {HasRefreshToken}, verified fhirUser: {HasFhirUser}).")]
    public static partial void Connected(ILogger logger, string platformId, bool hasRefreshToken, bool hasFhirUser);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Authorization callback for platform {PlatformId} rejected: {Reason}.")]
    public static partial void CallbackRejected(ILogger logger, string platformId, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Code exchange with platform {PlatformId} failed ({Status}); the pending authorization was kept for a retry.")]
    public static partial void CallbackFailed(ILogger logger, string platformId, int status);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Session with platform {PlatformId} refreshed (new refresh token: {Rotated}).")]
    public static partial void Refreshed(ILogger logger, string platformId, bool rotated);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Platform {PlatformId} refused a refresh: {Error}.")]
    public static partial void RefreshRefused(ILogger logger, string platformId, string error);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "Refresh with platform {PlatformId} failed ({Status}); the connection is kept.")]
    public static partial void RefreshFailed(ILogger logger, string platformId, int status);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Debug, Message = "Another process is refreshing the session with platform {PlatformId}; waiting for its result.")]
    public static partial void RefreshWaiting(ILogger logger, string platformId);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Information, Message = "Revoked the {TokenKind} at platform {PlatformId}.")]
    public static partial void Revoked(ILogger logger, string platformId, string tokenKind);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Revoking the {TokenKind} at platform {PlatformId} failed ({Outcome}); the local connection is removed anyway.")]
    public static partial void RevokeFailed(ILogger logger, string platformId, string tokenKind, string outcome);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Platform {PlatformId} has no revocation endpoint; only the local connection is removed.")]
    public static partial void RevokeUnavailable(ILogger logger, string platformId);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Information, Message = "Logged out of platform {PlatformId} (a connection was removed: {Removed}).")]
    public static partial void LoggedOut(ILogger logger, string platformId, bool removed);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Warning, Message = "SMART discovery for platform {PlatformId} failed ({Outcome}).")]
    public static partial void DiscoveryFailed(ILogger logger, string platformId, string outcome);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Warning, Message = "Platform {PlatformId}: the issuer or its keys are unknown, so the id_token cannot be verified and fhirUser is not taken from it.")]
    public static partial void IdTokenUnverifiable(ILogger logger, string platformId);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Warning, Message = "Platform {PlatformId}: id_token rejected ({Reason}).")]
    public static partial void IdTokenRejected(ILogger logger, string platformId, string reason);

    [LoggerMessage(EventId = 3016, Level = LogLevel.Warning, Message = "Platform {PlatformId}: fetching the issuer's JWKS failed ({Outcome}).")]
    public static partial void JwksFailed(ILogger logger, string platformId, string outcome);

    [LoggerMessage(EventId = 3017, Level = LogLevel.Warning, Message = "Platform {PlatformId}: the authorization response names an issuer, but the platform's issuer is unknown (no discovery), so it cannot be checked (RFC 9207).")]
    public static partial void IssuerUnchecked(ILogger logger, string platformId);

    [LoggerMessage(EventId = 3018, Level = LogLevel.Warning, Message = "Neither {PublicUrlKey} nor {RedirectUriKey} is set: in Development the redirect URI defaults to {RedirectUri}. Set one of them elsewhere.")]
    public static partial void DevelopmentRedirectUri(ILogger logger, string publicUrlKey, string redirectUriKey, string redirectUri);

    [LoggerMessage(EventId = 3019, Level = LogLevel.Information, Message = "SMART authorization: redirect URI {RedirectUri}.")]
    public static partial void RedirectUri(ILogger logger, string redirectUri);
}
