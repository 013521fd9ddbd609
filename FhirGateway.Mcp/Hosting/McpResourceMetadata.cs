using FhirGateway.Core.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore.Authentication;

namespace FhirGateway.Mcp.Hosting;

/// <summary>
/// MCP authorization (2025-06-18, §2.3): the server is an OAuth 2.0 protected resource. The SDK's MCP scheme
/// serves RFC 9728 metadata naming the gateway's identity provider as authorization server, at
/// <c>/.well-known/oauth-protected-resource/mcp</c> (RFC 9728 §3.1, the path-suffixed form for <c>/mcp</c>), and
/// makes every 401 carry <c>WWW-Authenticate: Bearer resource_metadata="…"</c>. Only when bearer tokens are on.
/// </summary>
internal static class McpResourceMetadata
{
    public static void Add(WebApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[GatewayAuthOptions.IssuerKey]))
        {
            return;
        }

        builder.Services.AddAuthentication().AddMcp(_ => { });
        builder.Services.Configure<AuthenticationOptions>(options => options.DefaultChallengeScheme = McpAuthenticationDefaults.AuthenticationScheme);
        builder.Services.AddOptions<McpAuthenticationOptions>(McpAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<GatewayAuthOptions>>((mcp, gateway) =>
            {
                mcp.ResourceMetadata = new()
                {
                    AuthorizationServers = [gateway.Value.Issuer!],
                    BearerMethodsSupported = ["header"],
                    ResourceName = "FHIR Gateway MCP server",
                };
            });
    }
}
