using System.Security.Claims;
using FhirGateway.Core.Tokens;

namespace FhirGateway.Core.Identity;

/// <summary>The authenticated user behind a request, as the owner of platform connections.</summary>
public static class GatewayUser
{
    /// <summary>The subject claim; inbound claim mapping is off, so it keeps its JWT name.</summary>
    public const string SubjectClaim = "sub";

    /// <summary>
    /// <c>user:{hash(issuer)}:{sub}</c> for a principal a bearer token authenticated, else null. The same person
    /// gets the same owner over REST and MCP and from any device; the issuer keeps two providers' subjects apart.
    /// </summary>
    public static OwnerKey? OwnerOf(ClaimsPrincipal? principal) =>
        principal?.Identity is { IsAuthenticated: true } && principal.FindFirst(SubjectClaim) is { Value.Length: > 0 } subject
            ? OwnerKey.ForUser(subject.Issuer, subject.Value)
            : null;
}
