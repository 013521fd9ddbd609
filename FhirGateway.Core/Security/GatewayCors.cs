using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Net.Http.Headers;

namespace FhirGateway.Core.Security;

/// <summary>
/// The default CORS policy from <see cref="GatewaySecurityOptions.CorsOrigins"/>: only those origins get
/// <c>Access-Control-Allow-*</c>; with none listed, no cross-origin browser call is allowed. Credentials only
/// when <see cref="GatewaySecurityOptions.CorsCredentials"/> says so, and never for <c>*</c> (refused at start).
/// </summary>
internal static class GatewayCors
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    private static readonly string[] RequestHeaders =
    [
        HeaderNames.Authorization, HeaderNames.ContentType, HeaderNames.Accept, HeaderNames.IfMatch, HeaderNames.IfNoneMatch,
        "If-None-Exist", "Prefer", Identity.GatewayKey.HeaderName, "MCP-Protocol-Version", "Mcp-Session-Id", "Last-Event-ID",
    ];

    private static readonly string[] ExposedHeaders =
    [
        HeaderNames.WWWAuthenticate, HeaderNames.RetryAfter, HeaderNames.Location, HeaderNames.ContentLocation,
        HeaderNames.ETag, HeaderNames.LastModified, HeaderNames.Link, "Mcp-Session-Id",
    ];

    public static void Configure(CorsOptions cors, GatewaySecurityOptions options) => cors.AddDefaultPolicy(policy =>
    {
        if (options.AnyOrigin)
        {
            policy.AllowAnyOrigin();
        }
        else
        {
            policy.WithOrigins([.. options.CorsOrigins]);
            if (options.CorsCredentials)
            {
                policy.AllowCredentials();
            }
        }

        policy.WithMethods(Methods).WithHeaders(RequestHeaders).WithExposedHeaders(ExposedHeaders).SetPreflightMaxAge(TimeSpan.FromMinutes(10));
    });
}
