namespace FhirGateway.Core.Tokens;

/// <summary>
/// An authorization started and not yet called back: everything the callback needs, keyed by its state.
/// Single-use; expires after ten minutes. Holds the PKCE verifier: encrypted at rest, never logged.
/// </summary>
public sealed record PendingAuthorization
{
    /// <summary>The OAuth <c>state</c>: at least 128 random bits, base64url.</summary>
    public required string State { get; init; }

    /// <summary>The platform being authorized.</summary>
    public required string PlatformId { get; init; }

    /// <summary>Who started it (<see cref="OwnerKey.Value"/>).</summary>
    public required string Owner { get; init; }

    /// <summary>The PKCE code verifier (RFC 7636).</summary>
    public required string CodeVerifier { get; init; }

    /// <summary>The exact redirect URI sent to the authorize endpoint.</summary>
    public required string RedirectUri { get; init; }

    /// <summary>The <c>aud</c> sent: the platform's FHIR base.</summary>
    public required string Audience { get; init; }

    /// <summary>The scopes requested (space-separated).</summary>
    public required string Scope { get; init; }

    /// <summary>The OpenID Connect nonce, checked in the id_token.</summary>
    public string? Nonce { get; init; }

    /// <summary>The authorization server's issuer, when known, to check RFC 9207 <c>iss</c> on the callback.</summary>
    public string? Issuer { get; init; }

    /// <summary>Where to send the browser after the callback (a local path only).</summary>
    public string? ReturnUrl { get; init; }

    /// <summary>When it was started.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it stops being accepted.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }
}
