namespace FhirGateway.Core.Tokens;

/// <summary>What a client may see of a connection: never a token.</summary>
public sealed record ConnectionStatus
{
    /// <summary>The platform id.</summary>
    public required string PlatformId { get; init; }

    /// <summary><c>connected</c>, <c>expired</c> (access token expired, refresh possible) or <c>reauthorization_required</c>.</summary>
    public required string State { get; init; }

    /// <summary>The patient in context.</summary>
    public string? Patient { get; init; }

    /// <summary>The user's FHIR resource.</summary>
    public string? FhirUser { get; init; }

    /// <summary>The granted scopes.</summary>
    public string? Scope { get; init; }

    /// <summary>When the access token expires.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Whether the gateway can refresh without the user.</summary>
    public bool CanRefresh { get; init; }

    /// <summary>When the user connected.</summary>
    public DateTimeOffset ConnectedAt { get; init; }

    /// <summary>Why the user must log in again, when they must.</summary>
    public string? Message { get; init; }

    /// <summary>The status of a stored connection at <paramref name="now"/>.</summary>
    public static ConnectionStatus From(PlatformConnection connection, DateTimeOffset now) => new()
    {
        PlatformId = connection.PlatformId,
        State = connection.ReauthorizationReason is not null ? "reauthorization_required"
            : connection.ExpiresAt is { } expires && expires <= now ? "expired"
            : "connected",
        Patient = connection.Patient,
        FhirUser = connection.FhirUser,
        Scope = connection.Scope,
        ExpiresAt = connection.ExpiresAt,
        CanRefresh = connection.RefreshToken is not null && connection.ReauthorizationReason is null,
        ConnectedAt = connection.ConnectedAt,
        Message = connection.ReauthorizationReason,
    };
}
