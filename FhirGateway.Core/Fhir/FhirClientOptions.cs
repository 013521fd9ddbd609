namespace FhirGateway.Core.Fhir;

/// <summary>
/// Settings of the FHIR upstream client, from flat configuration keys (environment variables). Validated at
/// start by <see cref="ValidateFhirClientOptions"/>, which names the key to fix.
/// </summary>
public sealed class FhirClientOptions
{
    /// <summary>Seconds a platform may take to answer (headers), retries included (default 30).</summary>
    public const string TimeoutKey = "FHIR_GATEWAY_FHIR_TIMEOUT_SECONDS";

    /// <summary>Per-platform override of <see cref="TimeoutKey"/>: <c>FHIR_GATEWAY_PLATFORM_{ID}_FHIR_TIMEOUT_SECONDS</c>.</summary>
    public const string PlatformTimeoutSetting = "FHIR_TIMEOUT_SECONDS";

    /// <summary>Largest request body accepted, in bytes (default 10 MB).</summary>
    public const string MaxRequestBodyKey = "FHIR_GATEWAY_FHIR_MAX_REQUEST_BYTES";

    /// <summary>Largest <c>_count</c> passed to a platform; a larger one is lowered to it (default 500).</summary>
    public const string MaxCountKey = "FHIR_GATEWAY_FHIR_MAX_COUNT";

    /// <summary>
    /// Largest JSON answer held in memory, in bytes (default 32 MB): a CapabilityStatement, or while a Bundle over 1 MB
    /// streams with its links rewritten, the largest single JSON token in it.
    /// </summary>
    public const string MaxBufferedBundleKey = "FHIR_GATEWAY_FHIR_MAX_BUNDLE_BYTES";

    /// <summary>Seconds a platform's CapabilityStatement is cached (default 600).</summary>
    public const string MetadataCacheKey = "FHIR_GATEWAY_FHIR_METADATA_CACHE_SECONDS";

    /// <summary>The timeout of platforms without their own.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Per-platform timeouts, by platform id (case-insensitive).</summary>
    public Dictionary<string, TimeSpan> PlatformTimeouts { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Largest request body accepted.</summary>
    public long MaxRequestBodyBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Largest page size asked of a platform.</summary>
    public int MaxCount { get; set; } = 500;

    /// <summary>Largest answer held in memory (see <see cref="MaxBufferedBundleKey"/>); a larger one is refused with 502.</summary>
    public long MaxBufferedBundleBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>How long a CapabilityStatement is cached.</summary>
    public TimeSpan MetadataCacheDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The timeout for one platform.</summary>
    public TimeSpan TimeoutFor(string platformId) => PlatformTimeouts.TryGetValue(platformId, out var timeout) ? timeout : Timeout;
}
