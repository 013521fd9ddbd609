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
            ? GatewayUser.OwnerOf(context.User) ?? GatewayKey.FromHeader(context.Request.Headers[GatewayKey.HeaderName])
            : null;

    /// <summary>The caller's owner; an error the agent can act on when there is none.</summary>
    public OwnerKey RequireOwner() => Owner ?? throw new McpException(NoKey);

    /// <summary>What to do without a key.</summary>
    public const string NoKey =
        $"This MCP client sends no {GatewayKey.HeaderName} header, so it has no platform connections. " +
        "Call start_auth with the platform_id: it creates a gateway key and the login URL; the user configures the MCP client to send the key.";
}
