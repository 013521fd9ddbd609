using FhirGateway.Bench;

namespace FhirGateway.ProxyBench;

/// <summary>
/// Where load goes: a FHIR base (upstream, YARP or gateway), the cookie to send, and the proxy's own process (none
/// for direct), whose CPU and allocations are measured with the load.
/// </summary>
internal sealed record BenchTarget(string Name, string FhirBase, string? Cookie, ProxyProcess? Proxy)
{
    public const string ReadPath = "Patient/" + CannedFhir.PatientId;
    public const string SearchPath = CannedFhir.SearchQuery;

    public Uri Url(string path) => new($"{FhirBase}/{path}");
}
