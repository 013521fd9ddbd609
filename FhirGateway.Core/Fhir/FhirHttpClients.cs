namespace FhirGateway.Core.Fhir;

/// <summary>The named HTTP client for FHIR servers.</summary>
internal static class FhirHttpClients
{
    /// <summary>
    /// Every FHIR call: pooled connections, no cookies, no redirects (a redirect could leave the platform base),
    /// no standard resilience handler (it would retry POSTs and impose its own timeout); <see cref="UpstreamResilience"/>
    /// does resilience per platform instead.
    /// </summary>
    public const string Upstream = "fhir-upstream";

    /// <summary>
    /// The same, without automatic decompression, for answers relayed unread (<see cref="FhirProxy"/>): the caller's
    /// <c>Accept-Encoding</c> goes upstream and a compressed answer comes back as the platform sent it, rather than
    /// being inflated only to be copied.
    /// </summary>
    public const string Forwarded = "fhir-upstream-forwarded";

    /// <summary>
    /// The same client without HttpClient's activity and header propagation, for requests nobody traces
    /// (<see cref="UpstreamTracing"/>): the sender writes the trace context itself.
    /// </summary>
    public static string Untraced(string name) => name + "-untraced";
}
