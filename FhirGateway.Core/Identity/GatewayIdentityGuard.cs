using FhirGateway.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Identity;

/// <summary>
/// Runs after authentication. A request that sends an <c>Authorization</c> header the bearer scheme did not accept
/// (bad signature, expired, another issuer or audience, no <c>sub</c>, another scheme) is refused with 401: it is
/// never served under its gateway key, its cookie, or as nobody. With <see cref="GatewayAuthOptions.Required"/>, a
/// request without a user is refused too, except on <see cref="OpenPaths"/>.
/// </summary>
internal sealed partial class GatewayIdentityGuard(
    RequestDelegate next, IOptions<GatewayAuthOptions> options, IGatewayRefusal refusal, ILogger<GatewayIdentityGuard> logger)
{
    /// <summary>Routes that answer anyone: health probes, the OAuth callback (a browser redirect carries no bearer token), discovery.</summary>
    public static readonly IReadOnlyList<PathString> OpenPaths = ["/health", "/alive", "/oauth/callback", "/.well-known"];

    public Task InvokeAsync(HttpContext context)
    {
        var settings = options.Value;
        if (!settings.Enabled || GatewayUser.OwnerOf(context) is not null)
        {
            return next(context);
        }

        if (context.Request.Headers.Authorization.Count > 0)
        {
            LogRejected(logger, context.Request.Method, context.Request.Path);
            return RefuseAsync(context,
                "The bearer token was not accepted: it is malformed, expired, not signed by the gateway's identity provider, or not issued for this gateway. " +
                "Get a new access token; the request was not served under any other identity.");
        }

        return settings.Required && !OpenPaths.Any(open => context.Request.Path.StartsWithSegments(open))
            ? RefuseAsync(context, $"This gateway requires an OpenID Connect access token (Authorization: Bearer …) issued by {settings.Issuer}.")
            : next(context);
    }

    private async Task RefuseAsync(HttpContext context, string message)
    {
        // The scheme's challenge sets WWW-Authenticate: RFC 6750 §3 (error="invalid_token") on REST; on /mcp the
        // MCP authorization spec's resource_metadata pointer (RFC 9728 §5.1).
        await context.ChallengeAsync();
        await refusal.WriteAsync(context, StatusCodes.Status401Unauthorized, "login", message);
    }

    [LoggerMessage(EventId = 7000, Level = LogLevel.Warning, Message = "Refused {Method} {Path}: the Authorization header did not authenticate.")]
    private static partial void LogRejected(ILogger logger, string method, string path);
}
