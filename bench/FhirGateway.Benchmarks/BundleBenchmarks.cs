using System.Net;
using BenchmarkDotNet.Attributes;
using FhirGateway.Core.Fhir;

namespace FhirGateway.Benchmarks;

/// <summary>
/// The search path's own work: reading a Bundle from the upstream response (with and without Content-Length) and
/// rewriting its <c>Bundle.link[].url</c>.
/// </summary>
[MemoryDiagnoser]
public class BundleBenchmarks
{
    private static readonly FhirClientOptions Options = new();
    private readonly GatewayLinks _links = new(new UpstreamBase(SampleBundles.FhirBase), SampleBundles.GatewayPrefix);
    private byte[] _bundle = null!;

    [Params(20, 500)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup() => _bundle = SampleBundles.Search(Entries);

    [Benchmark(Description = "Rewrite Bundle links")]
    public int Rewrite()
    {
        using var rewritten = BundleLinkRewriter.Rewrite(_bundle, _links)!;
        return rewritten.Length;
    }

    [Benchmark(Description = "Read body, Content-Length known")]
    public async Task<int> ReadWithLength()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(_bundle) };
        using var body = await UpstreamResponses.ReadBoundedAsync(response, "p", Options, CancellationToken.None);
        return body.Length;
    }

    [Benchmark(Description = "Read body, chunked (no Content-Length)")]
    public async Task<int> ReadChunked()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new UnknownLengthContent(_bundle) };
        using var body = await UpstreamResponses.ReadBoundedAsync(response, "p", Options, CancellationToken.None);
        return body.Length;
    }
}
