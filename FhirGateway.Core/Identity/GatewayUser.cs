using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features.Authentication;
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

    /// <summary>
    /// The request's user, as <see cref="OwnerOf(ClaimsPrincipal?)"/>; without reading <see cref="HttpContext.User"/>,
    /// which makes an empty principal for every request that authentication did not touch.
    /// </summary>
    public static OwnerKey? OwnerOf(HttpContext context) =>
        OwnerOf(context.Features.Get<IHttpAuthenticationFeature>()?.User);
}
