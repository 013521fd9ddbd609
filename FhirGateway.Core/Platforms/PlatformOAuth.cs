namespace FhirGateway.Core.Platforms;

/// <summary>A platform's OAuth 2.0 / SMART App Launch settings.</summary>
public sealed record PlatformOAuth
{
    /// <summary>A published public client id anyone may use; never a registered app's id.</summary>
    public string? ClientId { get; init; }

    /// <summary>Authorization endpoint.</summary>
    public string? AuthorizeUrl { get; init; }

    /// <summary>Token endpoint.</summary>
    public string? TokenUrl { get; init; }

    /// <summary>Revocation endpoint (RFC 7009).</summary>
    public string? RevokeUrl { get; init; }

    /// <summary>Scopes the gateway requests.</summary>
    public PlatformScopes? Scopes { get; init; }

    /// <summary>Scopes the platform supports, for reference.</summary>
    public IReadOnlyList<string> ScopesSupported { get; init => field = value ?? []; } = [];

    /// <summary>PKCE methods the platform accepts.</summary>
    public IReadOnlyList<string> CodeChallengeMethods { get; init => field = value ?? []; } = [];

    /// <summary>The platform only accepts confidential clients.</summary>
    public bool Confidential { get; init; }

    /// <summary>Client authentication methods at the token endpoint.</summary>
    public IReadOnlyList<string> TokenEndpointAuthMethods { get; init => field = value ?? []; } = [];

    /// <summary>The platform rejects authorization requests without PKCE.</summary>
    public bool PkceRequired { get; init; }

    /// <summary><c>authorization_code</c> (default) or <c>client_credentials</c>.</summary>
    public string? GrantType { get; init; }

    /// <summary>Browser apps cannot reach the token endpoint directly; the gateway relays.</summary>
    public bool CorsRelayRequired { get; init; }
}
