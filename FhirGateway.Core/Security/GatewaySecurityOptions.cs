namespace FhirGateway.Core.Security;

/// <summary>
/// Limits and browser rules both front-ends apply: rate limits, request timeout, CORS. Read from flat keys by
/// <see cref="ConfigureGatewaySecurityOptions"/>, checked at start by <see cref="ValidateGatewaySecurityOptions"/>.
/// </summary>
public sealed class GatewaySecurityOptions
{
    /// <summary>Requests per window for one authenticated user (default 1200).</summary>
    public const string UserPermitsKey = "FHIR_GATEWAY_RATE_LIMIT_PERMITS";

    /// <summary>Requests per window for one client IP without a user token, and for the OAuth callback (default 600).</summary>
    public const string AnonymousPermitsKey = "FHIR_GATEWAY_RATE_LIMIT_ANONYMOUS_PERMITS";

    /// <summary>The rate-limit window in seconds (default 60).</summary>
    public const string WindowKey = "FHIR_GATEWAY_RATE_LIMIT_WINDOW_SECONDS";

    /// <summary>Longest a non-streaming request may run, in seconds (default 120).</summary>
    public const string RequestTimeoutKey = "FHIR_GATEWAY_REQUEST_TIMEOUT_SECONDS";

    /// <summary>Browser origins allowed to call the gateway (comma-separated, e.g. <c>https://app.example.com</c>), or <c>*</c>.</summary>
    public const string CorsOriginsKey = "FHIR_GATEWAY_CORS_ORIGINS";

    /// <summary><c>true</c>: those origins may send credentials (cookies); never with <c>*</c> (default <c>false</c>).</summary>
    public const string CorsCredentialsKey = "FHIR_GATEWAY_CORS_ALLOW_CREDENTIALS";

    /// <summary>
    /// Reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed (comma-separated IP
    /// addresses or CIDR networks, e.g. <c>10.0.0.0/8</c>). Unset: forwarded headers are ignored.
    /// </summary>
    public const string TrustedProxiesKey = "FHIR_GATEWAY_TRUSTED_PROXIES";

    public int UserPermits { get; set; } = 1200;

    public int AnonymousPermits { get; set; } = 600;

    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Allowed origins as <c>scheme://host[:port]</c>, or the single entry <c>*</c>.</summary>
    public List<string> CorsOrigins { get; } = [];

    public bool CorsCredentials { get; set; }

    /// <summary>Networks (a single address is a /32 or /128) whose forwarded headers are believed.</summary>
    public List<System.Net.IPNetwork> TrustedProxies { get; } = [];

    /// <summary>Settings or entries that did not parse, for the validator to name.</summary>
    public List<string> Unreadable { get; } = [];

    public bool AnyOrigin => CorsOrigins is ["*"];
}
