using System.Net;
using FhirGateway.Core.Errors;

namespace FhirGateway.Core.Auth;

/// <summary>
/// The platform answered the authorization request with an error (RFC 6749 §4.1.2.1), e.g. the user declined
/// (400). <see cref="Error"/> and <see cref="ErrorDescription"/> are the platform's, made printable and short.
/// </summary>
public sealed class AuthorizationDeniedException(string platformId, string error, string? errorDescription)
    : GatewayException(HttpStatusCode.BadRequest, "login",
        $"Platform '{platformId}' did not authorize the gateway: {error}{(errorDescription is null ? "" : $" ({errorDescription})")}.")
{
    /// <summary>The platform.</summary>
    public string PlatformId { get; } = platformId;

    /// <summary>The OAuth error code, e.g. <c>access_denied</c>.</summary>
    public string Error { get; } = error;

    /// <summary>The platform's description, if any.</summary>
    public string? ErrorDescription { get; } = errorDescription;
}
