using FhirGateway.Core.Identity;
using FhirGateway.Core.Tokens;

namespace FhirGateway.Api.Identity;

/// <summary>
/// Whose connections a REST request acts on, in the order both front-ends check:
/// (1) a validated OIDC bearer token, <c>user:…</c> (a token sent but not valid never gets this far: 401);
/// (2) a gateway key in <c>X-FHIR-Gateway-Key</c>, shared with MCP clients;
/// (3) the browser's session cookie. A malformed key is refused, never answered as the cookie's owner.
/// </summary>
internal static class RequestOwner
{
    /// <summary>The request's owner, or null when it names none.</summary>
    /// <exception cref="InvalidGatewayKeyException">The key header is present but malformed (400 OperationOutcome).</exception>
    public static OwnerKey? Resolve(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (GatewayUser.OwnerOf(context) is { } user)
        {
            return user;
        }

        if (context.Request.Headers.TryGetValue(GatewayKey.HeaderName, out var key))
        {
            return GatewayKey.FromHeader(key);
        }

        return GatewaySession.Current(context);
    }
}
