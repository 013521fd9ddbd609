namespace FhirGateway.Core.Identity;

/// <summary>
/// Who may use the gateway: apps and agents present OpenID Connect bearer tokens (JWT access tokens) from one
/// identity provider — Keycloak in container mode, the sandbox auth server in local mode. Read from flat keys by
/// <see cref="ConfigureGatewayAuthOptions"/>, checked at start by <see cref="ValidateGatewayAuthOptions"/>.
/// Without an issuer the gateway is open as before: gateway keys and browser sessions only.
/// </summary>
public sealed class GatewayAuthOptions
{
    /// <summary>The identity provider's issuer URL (its <c>/.well-known/openid-configuration</c> gives the JWKS).</summary>
    public const string IssuerKey = "FHIR_GATEWAY_AUTH_ISSUER";

    /// <summary>Accepted <c>aud</c> values, comma-separated (e.g. the gateway's audience and the MCP server's URL).</summary>
    public const string AudienceKey = "FHIR_GATEWAY_AUTH_AUDIENCE";

    /// <summary><c>true</c>: every FHIR, auth and MCP request needs a valid bearer token (default <c>false</c>).</summary>
    public const string RequiredKey = "FHIR_GATEWAY_AUTH_REQUIRED";

    /// <summary>Where to read the discovery document when the gateway reaches the provider under another name.</summary>
    public const string MetadataUrlKey = "FHIR_GATEWAY_AUTH_METADATA_URL";

    /// <summary>Clock skew tolerated on <c>exp</c> and <c>nbf</c>, in seconds (default 60, at most 300).</summary>
    public const string ClockSkewKey = "FHIR_GATEWAY_AUTH_CLOCK_SKEW_SECONDS";

    /// <summary>The issuer, exactly as tokens carry it in <c>iss</c>; null when bearer tokens are off.</summary>
    public string? Issuer { get; set; }

    /// <summary>The accepted audiences.</summary>
    public List<string> Audiences { get; } = [];

    /// <summary>Whether anonymous requests (a gateway key or a cookie alone) are refused.</summary>
    public bool Required { get; set; }

    /// <summary>The discovery document's URL, when not <c>{issuer}/.well-known/openid-configuration</c>.</summary>
    public string? MetadataUrl { get; set; }

    /// <summary>Tolerated clock skew.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Values that did not parse, for the validator to name.</summary>
    public List<string> Unreadable { get; } = [];

    /// <summary>Whether bearer tokens are accepted at all.</summary>
    public bool Enabled => !string.IsNullOrEmpty(Issuer);
}
