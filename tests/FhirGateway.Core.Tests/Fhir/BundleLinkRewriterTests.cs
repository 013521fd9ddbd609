using System.Text;
using System.Text.Json;
using FhirGateway.Core.Fhir;

namespace FhirGateway.Core.Tests.Fhir;

public sealed class BundleLinkRewriterTests
{
    private static readonly GatewayLinks Links = new(new UpstreamBase("http://fhir.example/fhir"), "https://gw.example/api/fhir/p");

    [Fact]
    public void Rewrite_BundleLinks_InsideRewrittenOutsideRemovedEntriesUntouched()
    {
        const string Bundle = """
            {"resourceType":"Bundle","type":"searchset","link":[
              {"relation":"self","url":"http://fhir.example/fhir/Observation?_count=2"},
              {"relation":"next","url":"http://fhir.example/fhir/Observation?_count=2&_offset=2"},
              {"relation":"other","url":"http://evil.example/x"}],
             "entry":[{"fullUrl":"http://fhir.example/fhir/Observation/1","resource":{"resourceType":"Observation","id":"1","valueQuantity":{"value":1.50}}}]}
            """;

        var rewritten = JsonDocument.Parse(BundleLinkRewriter.Rewrite(Encoding.UTF8.GetBytes(Bundle), Links)!).RootElement;

        var links = rewritten.GetProperty("link").EnumerateArray().Select(l => l.GetProperty("url").GetString()).ToList();
        Assert.Equal(["https://gw.example/api/fhir/p/Observation?_count=2", "https://gw.example/api/fhir/p/Observation?_count=2&_offset=2"], links);
        Assert.Equal("http://fhir.example/fhir/Observation/1", rewritten.GetProperty("entry")[0].GetProperty("fullUrl").GetString());
        Assert.Equal("1.50", rewritten.GetProperty("entry")[0].GetProperty("resource").GetProperty("valueQuantity").GetProperty("value").GetRawText());
    }

    [Fact]
    public void Rewrite_NotABundle_ReturnsNull() =>
        Assert.Null(BundleLinkRewriter.Rewrite("""{"resourceType":"Patient","id":"1"}"""u8, Links));
}
