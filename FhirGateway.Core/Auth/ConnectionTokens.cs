using FhirGateway.Core.Tokens;

namespace FhirGateway.Core.Auth;

/// <summary>Builds stored connections from token responses.</summary>
internal static class ConnectionTokens
{
    /// <summary>A new connection from a code exchange.</summary>
    public static PlatformConnection Connected(string platformId, TokenResponse token, string? fhirUser, DateTimeOffset now) => new()
    {
        PlatformId = platformId,
        AccessToken = token.AccessToken!,
        RefreshToken = NullIfEmpty(token.RefreshToken),
        TokenType = token.TokenType!,
        ExpiresAt = ExpiresAt(token, now),
        Scope = NullIfEmpty(token.Scope),
        Patient = NullIfEmpty(token.Patient),
        Encounter = NullIfEmpty(token.Encounter),
        FhirUser = fhirUser,
        ConnectedAt = now,
    };

    /// <summary>
    /// The connection after a refresh. RFC 6749 §6: a server may keep the refresh token, so the old one stays when
    /// no new one comes; the scope stays when omitted (§5.1: then identical to the granted one); launch context
    /// stays when a refresh response leaves it out (SMART App Launch 2.2 §2.0.11 lets servers omit it).
    /// </summary>
    public static PlatformConnection Refreshed(PlatformConnection current, TokenResponse token, DateTimeOffset now) => current with
    {
        AccessToken = token.AccessToken!,
        RefreshToken = NullIfEmpty(token.RefreshToken) ?? current.RefreshToken,
        TokenType = token.TokenType!,
        ExpiresAt = ExpiresAt(token, now),
        Scope = NullIfEmpty(token.Scope) ?? current.Scope,
        Patient = NullIfEmpty(token.Patient) ?? current.Patient,
        Encounter = NullIfEmpty(token.Encounter) ?? current.Encounter,
        RefreshedAt = now,
        ReauthorizationReason = null,
    };

    private static DateTimeOffset? ExpiresAt(TokenResponse token, DateTimeOffset now) =>
        token.ExpiresIn is { } seconds && seconds > 0 ? now.AddSeconds(seconds) : null;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
