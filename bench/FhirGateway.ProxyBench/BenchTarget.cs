using FhirGateway.Bench;

namespace FhirGateway.ProxyBench;

/// <summary>
/// Where load goes: a FHIR base (upstream, YARP or gateway), the cookie to send, the platform's access token for a
/// target that is not the gateway when the upstream checks one (the sandbox), and the proxy's own process (none for
/// direct), whose CPU and allocations are measured with the load.
/// </summary>
internal sealed record BenchTarget(string Name, string FhirBase, string? Cookie, ProxyProcess? Proxy, string? Bearer = null)
{
    public const string ReadPath = "Patient/" + CannedFhir.PatientId;
    public const string SearchPath = CannedFhir.SearchQuery;

    /// <summary>The header lines every request to this target carries.</summary>
    public string Headers => CookieLine(Cookie) + (Bearer is null ? "" : $"Authorization: Bearer {Bearer}\r\n");

    public static string CookieLine(string? cookie) => cookie is null ? "" : $"Cookie: {cookie}\r\n";

    public Uri Url(string path) => new($"{FhirBase}/{path}");
}
