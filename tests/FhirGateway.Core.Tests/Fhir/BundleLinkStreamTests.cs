using System.Text;
using FhirGateway.Core.Fhir;

namespace FhirGateway.Core.Tests.Fhir;

public sealed class BundleLinkStreamTests
{
    private const string Inside = "http://fhir.example/fhir/Observation?patient=1&_count=50";
    private const string Rewritten = "https://gw.example/api/fhir/p/Observation?patient=1&_count=50";
    private static readonly GatewayLinks Links = new(new UpstreamBase("http://fhir.example/fhir"), "https://gw.example/api/fhir/p");

    public static TheoryData<string> Bundles() =>
    [
        $$$"""{"resourceType":"Bundle","type":"searchset","link":[{"relation":"self","url":"{{{Inside}}}"},{"relation":"other","url":"http://evil.example/x"},{"relation":"next","url":"{{{Inside}}}&_offset=50"}],"entry":[{"fullUrl":"http://fhir.example/fhir/Observation/1","resource":{"resourceType":"Observation","id":"1","valueQuantity":{"value":1.50} }}]}""",
        $$"""{ "resourceType" : "Bundle" ,"total":1.0e1, "link" : [ {"url":"http://evil.example/x"} , { "url" : "{{Inside}}" } ] , "entry":[] }""",
        $$$"""{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Bundle","link":[{"url":"http://evil.example/inner"}]}}],"link":[{"url":"{{{Inside}}}"}]}""",
        """{"resourceType":"Bundle","type":"searchset","entry":[]}""",
        """{"resourceType":"Patient","id":"1","link":[{"other":{"reference":"Patient/2"},"type":"seealso"}]}""",
    ];

    [Theory]
    [MemberData(nameof(Bundles))]
    public async Task ReadAsync_AnyChunking_SameBytesAsTheBufferedRewriter(string bundle)
    {
        var json = Encoding.UTF8.GetBytes(bundle);
        using var buffered = BundleLinkRewriter.Rewrite(json, Links);
        var expected = buffered?.Span.ToArray() ?? json;

        foreach (var chunk in new[] { 1, 3, 7, 64, 100_000 })
        {
            for (var prefix = 0; prefix <= Math.Min(json.Length, 40); prefix += 13)
            {
                Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(await RelayAsync(json, prefix, chunk)));
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadAsync_TwentyMegabyteBundle_LinksRewrittenEverythingElseByteForByte(bool linksFirst)
    {
        var entries = Entries(20 * 1024 * 1024);
        var links = """[{"relation":"self","url":"http://fhir.example/fhir/Observation?patient=1&_count=2"},{"relation":"next","url":"http://fhir.example/fhir/Observation?patient=1,2"}]""";
        var rewrittenLinks = """[{"relation":"self","url":"https://gw.example/api/fhir/p/Observation?patient=1&_count=2"},{"relation":"next","url":"https://gw.example/api/fhir/p/Observation?patient=1,2"}]""";
        string Bundle(string l) => linksFirst
            ? $$"""{"resourceType":"Bundle","type":"searchset","link":{{l}},"entry":[{{entries}}]}"""
            : $$"""{"resourceType":"Bundle","type":"searchset","entry":[{{entries}}],"link":{{l}}}""";

        var relayed = await RelayAsync(Encoding.UTF8.GetBytes(Bundle(links)), 0, 61_000);

        Assert.True(Encoding.UTF8.GetBytes(Bundle(rewrittenLinks)).AsSpan().SequenceEqual(relayed), "the relayed Bundle differs from the one expected");
    }

    [Theory]
    [InlineData("""{"resourceType":"Bundle","type":"searchset","entry":[{"resource":""")]
    [InlineData("""{"resourceType":"Bundle","entry":[]} trailing""")]
    public async Task ReadAsync_MalformedBeforeItsLinks_FailsInsteadOfEndingQuietly(string json) =>
        await Assert.ThrowsAnyAsync<System.Text.Json.JsonException>(() => RelayAsync(Encoding.UTF8.GetBytes(json), 0, 5));

    [Fact]
    public async Task PrimeAsync_LinksAfterTheBudget_LengthUnknownBundleStillRewritten()
    {
        var json = Encoding.UTF8.GetBytes($$"""{"resourceType":"Bundle","entry":[{{Entries(5000)}}],"link":[{"url":"{{Inside}}"}]}""");
        await using var stream = new BundleLinkStream(new TrickleStream(json, 700), [], Links, 1024 * 1024);

        Assert.Null(await stream.PrimeAsync(json.Length, 2000, CancellationToken.None));
        using var output = new MemoryStream();
        await stream.CopyToAsync(output);
        Assert.Contains("https://gw.example/api/fhir/p/Observation?patient=1", Encoding.UTF8.GetString(output.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CopyToAsync_AfterReadsPastTheLinks_RelaysTheRestWhole()
    {
        var json = Encoding.UTF8.GetBytes($$"""{"resourceType":"Bundle","link":[{"url":"{{Inside}}"}],"entry":[{{Entries(600_000)}}]}""");
        await using var stream = new BundleLinkStream(new TrickleStream(json, 50_000), [], Links, 1024 * 1024);
        await stream.PrimeAsync(json.Length, 1024, CancellationToken.None);
        using var output = new MemoryStream();
        var buffer = new byte[4096];
        while (output.Length < 400_000)
        {
            output.Write(buffer, 0, await stream.ReadAsync(buffer));
        }

        await stream.CopyToAsync(output);

        using var expected = BundleLinkRewriter.Rewrite(json, Links);
        Assert.True(expected!.Span.SequenceEqual(output.ToArray()), "reads then a copy relayed other bytes than the buffered rewriter");
    }

    /// <summary>
    /// Relays <paramref name="json"/> (of which <paramref name="prefix"/> bytes were read before), primed as the gateway
    /// does, alternately copied and read, and checks the length announced before the body against what came out.
    /// </summary>
    private static async Task<byte[]> RelayAsync(byte[] json, int prefix, int chunk)
    {
        await using var stream = new BundleLinkStream(new TrickleStream(json[prefix..], chunk), json.AsSpan(0, prefix), Links, 1024 * 1024);
        var announced = await stream.PrimeAsync(json.Length, 1024 * 1024, CancellationToken.None);
        using var output = new MemoryStream();
        if (chunk % 2 == 1)
        {
            await stream.CopyToAsync(output);
        }
        else
        {
            var buffer = new byte[1000];
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                output.Write(buffer, 0, read);
            }
        }

        Assert.True(announced is null || announced == output.Length, $"announced {announced} bytes, relayed {output.Length}");
        return output.ToArray();
    }

    /// <summary>Observation entries (with fullUrls and nested links that must stay as sent) up to about <paramref name="size"/> bytes.</summary>
    private static string Entries(int size)
    {
        var entries = new StringBuilder(size + 1024);
        for (var i = 0; entries.Length < size; i++)
        {
            entries.Append(i == 0 ? "" : ",").Append($$$"""{"fullUrl":"http://fhir.example/fhir/Observation/{{{i}}}","resource":{"resourceType":"Observation","id":"{{{i}}}","status":"final","code":{"text":"Heart rate \u00e9"},"valueQuantity":{"value":{{{i % 97}}}.50,"unit":"/min"},"link":[{"url":"http://fhir.example/fhir/x"}]}}""");
        }

        return entries.ToString();
    }

    /// <summary>A body that arrives at most <paramref name="chunk"/> bytes per read, as from a socket.</summary>
    private sealed class TrickleStream(byte[] body, int chunk) : MemoryStream(body, writable: false)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
