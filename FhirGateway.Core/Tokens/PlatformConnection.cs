namespace FhirGateway.Core.Tokens;

/// <summary>
/// One owner's authorization at one platform, as stored (encrypted). Holds tokens: never log it, never put it
/// in an answer; answers use <see cref="ConnectionStatus"/>.
/// </summary>
public sealed record PlatformConnection
{
    /// <summary>The platform id.</summary>
    public required string PlatformId { get; init; }

    /// <summary>The access token for the platform's FHIR server.</summary>
    public required string AccessToken { get; init; }

    /// <summary>The refresh token, when the platform issued one.</summary>
    public string? RefreshToken { get; init; }

    /// <summary>Token type from the token response (normally <c>Bearer</c>).</summary>
    public string TokenType { get; init; } = "Bearer";

    /// <summary>When the access token expires; null when the platform did not say.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The scopes granted (space-separated), which may be fewer than requested.</summary>
    public string? Scope { get; init; }

    /// <summary>SMART launch context: the patient in context.</summary>
    public string? Patient { get; init; }

    /// <summary>SMART launch context: the encounter in context.</summary>
    public string? Encounter { get; init; }

    /// <summary>The user's FHIR resource (from the verified id_token), e.g. <c>Patient/123</c>.</summary>
    public string? FhirUser { get; init; }

    /// <summary>When the user connected.</summary>
    public required DateTimeOffset ConnectedAt { get; init; }

    /// <summary>When the tokens were last refreshed.</summary>
    public DateTimeOffset? RefreshedAt { get; init; }

    /// <summary>
    /// Set when the connection can no longer be used (refresh failed, grant revoked): why, in words for the
    /// user. The connection is kept so status can say so; a new login replaces it.
    /// </summary>
    public string? ReauthorizationReason { get; init; }
}
