namespace FhirGateway.ProxyBench;

/// <summary>Where load goes: a FHIR base (upstream, YARP or gateway) and the cookie to send.</summary>
internal sealed record BenchTarget(string Name, string FhirBase, string? Cookie)
{
    public const string ReadPath = "Patient/" + CannedFhir.PatientId;
    public const string SearchPath = CannedFhir.SearchQuery;

    public Uri Url(string path) => new($"{FhirBase}/{path}");
}
