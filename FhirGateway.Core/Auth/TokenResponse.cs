namespace FhirGateway.Core.Auth;

/// <summary>A successful token response (RFC 6749 §5.1) with SMART launch context (SMART App Launch 2.2 §2.0.10).</summary>
internal sealed record TokenResponse
{
    public string? AccessToken { get; init; }

    public string? TokenType { get; init; }

    public long? ExpiresIn { get; init; }

    public string? RefreshToken { get; init; }

    public string? Scope { get; init; }

    public string? IdToken { get; init; }

    public string? Patient { get; init; }

    public string? Encounter { get; init; }
}

/// <summary>An error response of the token or revocation endpoint (RFC 6749 §5.2).</summary>
internal sealed record OAuthErrorResponse
{
    public string? Error { get; init; }

    public string? ErrorDescription { get; init; }
}
