namespace FhirGateway.Core.Auth;

/// <summary>
/// The fields the gateway reads from SMART configuration (SMART App Launch 2.2 §2.1.2 "Response") and
/// OpenID Connect Discovery 1.0 §3; both documents use these names.
/// </summary>
internal sealed record AuthServerMetadata
{
    public string? Issuer { get; init; }

    public string? JwksUri { get; init; }

    public string? AuthorizationEndpoint { get; init; }

    public string? TokenEndpoint { get; init; }

    public string? RevocationEndpoint { get; init; }

    public IReadOnlyList<string>? CodeChallengeMethodsSupported { get; init; }

    public IReadOnlyList<string>? TokenEndpointAuthMethodsSupported { get; init; }

    /// <summary>RFC 9207 §3: the server always sends <c>iss</c> in authorization responses.</summary>
    public bool? AuthorizationResponseIssParameterSupported { get; init; }
}
