namespace FhirGateway.Core.Auth;

/// <summary>
/// The token endpoint answered with an OAuth error (RFC 6749 §5.2). Internal: callers decide what it means
/// (a refused refresh marks the connection; a refused code ends the login) and throw a gateway exception.
/// </summary>
internal sealed class OAuthRefusedException(string error, string? description)
    : Exception($"The authorization server refused: {error}")
{
    /// <summary>The OAuth error code, sanitized.</summary>
    public string Error { get; } = error;

    /// <summary>The server's description, sanitized; may be null.</summary>
    public string? Description { get; } = description;

    /// <summary>
    /// Errors after which the grant itself is unusable, so retrying cannot help and the user must log in again.
    /// <c>invalid_client</c> is not among them: that is the gateway's configuration, not the user's grant.
    /// </summary>
    public bool GrantUnusable => Error is "invalid_grant" or "unauthorized_client" or "invalid_scope" or "unsupported_grant_type";
}
