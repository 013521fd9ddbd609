using FhirGateway.Core.Identity;
using FhirGateway.Core.Tokens;
using ModelContextProtocol;

namespace FhirGateway.Mcp.Identity;

/// <summary>
/// Whose connections an MCP tool call acts on, read from the HTTP request that carries the call (streamable
/// HTTP, stateless: every call is its own request). Checked in the order the REST front-end uses:
/// (1) a validated OIDC bearer token as <c>user:…</c> (a token sent but not valid is refused with 401 before any tool);
/// (2) the gateway key in <c>X-FHIR-Gateway-Key</c>. There is no cookie over MCP, and never an MCP session id.
/// </summary>
public sealed class McpCaller(IHttpContextAccessor accessor)
{
    /// <summary>The caller's owner, or null when the request names none.</summary>
    /// <exception cref="InvalidGatewayKeyException">Malformed key (also refused earlier by <c>GatewayKeyGuard</c>).</exception>
    public OwnerKey? Owner =>
        accessor.HttpContext is { } context
            ? GatewayUser.OwnerOf(context) ?? GatewayKey.FromHeader(context.Request.Headers[GatewayKey.HeaderName])
            : null;

    /// <summary>The caller's owner; an error the agent can act on when there is none.</summary>
    public OwnerKey RequireOwner() => Owner ?? throw new McpException(NoKey);

    /// <summary>What to do without a key: the header to send and how to get a key, as an agent reads it.</summary>
    public const string NoKey =
        $"This MCP client sends no {GatewayKey.HeaderName} header (and no OIDC bearer token), so it has no platform connections. " +
        "To get a gateway key: call start_auth with a platform_id (list_platforms names them); it returns a gateway_key and an authorize_url. " +
        $"Ask the user to open the authorize_url and to configure this MCP client to send the header '{GatewayKey.HeaderName}: <gateway_key>' " +
        "with every request, then call wait_for_auth.";
}
