using System.Text;
using System.Text.Json;
using FhirGateway.Core.Fhir;

namespace FhirGateway.Core.Tests.Fhir;

public sealed class BulkManifestRewriterTests
{
    private static readonly GatewayLinks Links = new(new UpstreamBase("http://fhir.example/fhir"), "https://gw.example/api/fhir/p");

    [Fact]
    public void Rewrite_Manifest_FileUrlsInsideTheBaseGoThroughThePageRouteOutsideUntouched()
    {
        const string Manifest = """
            {"transactionTime":"2025-01-01T00:00:00Z","request":"http://fhir.example/fhir/Patient/$export?_type=Patient","requiresAccessToken":true,
             "output":[{"type":"Patient","url":"http://fhir.example/fhir/$export-file/j1/Patient.ndjson","count":2},
                       {"type":"Observation","url":"https://bucket.example/j1/Observation.ndjson?sig=abc"}],
             "error":[{"type":"OperationOutcome","url":"http://fhir.example/fhir/$export-file/j1/errors.ndjson"}]}
            """;

        var rewritten = JsonDocument.Parse(BulkManifestRewriter.Rewrite(Encoding.UTF8.GetBytes(Manifest), Links)!).RootElement;

        Assert.Equal("https://gw.example/api/fhir/p/Patient/$export?_type=Patient", rewritten.GetProperty("request").GetString());
        var output = rewritten.GetProperty("output");
        Assert.Equal(
            "https://gw.example/api/fhir/p/_page?url=" + Uri.EscapeDataString("http://fhir.example/fhir/$export-file/j1/Patient.ndjson"),
            output[0].GetProperty("url").GetString());
        Assert.Equal(2, output[0].GetProperty("count").GetInt32());
        Assert.Equal("https://bucket.example/j1/Observation.ndjson?sig=abc", output[1].GetProperty("url").GetString());
        Assert.StartsWith("https://gw.example/api/fhir/p/_page?url=", rewritten.GetProperty("error")[0].GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.True(rewritten.GetProperty("requiresAccessToken").GetBoolean());
    }

    [Theory]
    [InlineData("""{"resourceType":"Bundle","transactionTime":"x","output":[]}""")]
    [InlineData("""{"resourceType":"OperationOutcome","issue":[]}""")]
    [InlineData("""{"transactionTime":"2025-01-01T00:00:00Z"}""")]
    [InlineData("not json")]
    public void Rewrite_NotAManifest_ReturnsNull(string json) =>
        Assert.Null(BulkManifestRewriter.Rewrite(Encoding.UTF8.GetBytes(json), Links));
}
