namespace FhirGateway.Core.Fhir;

/// <summary>The named HTTP client for FHIR servers.</summary>
internal static class FhirHttpClients
{
    /// <summary>
    /// Every FHIR call, the FHIR client's and the forwarder's: pooled connections, no cookies, no redirects (a redirect
    /// could leave the platform base), no automatic decompression (the forwarder relays answers as the platform encoded
    /// them for a caller that asked for that coding; the FHIR client decodes itself, <see cref="UpstreamContentCoding"/>),
    /// no standard resilience handler (it would retry POSTs and impose its own timeout); <see cref="UpstreamResilience"/>
    /// does resilience per platform instead.
    /// </summary>
    public const string Upstream = "fhir-upstream";

    /// <summary>
    /// The same client without HttpClient's activity and header propagation, for requests nobody traces
    /// (<see cref="UpstreamTracing"/>): the sender writes the trace context itself.
    /// </summary>
    public const string Untraced = Upstream + "-untraced";
}
