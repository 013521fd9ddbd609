using System.Net;
using System.Text;

namespace FhirGateway.Api.Tests.Fhir;

/// <summary>Answers too large to hold (20 MB) through the gateway on real Kestrel, from the <c>large</c> open platform.</summary>
public sealed class LargeAnswerTests(FhirGatewayFixture fixture) : IClassFixture<FhirGatewayFixture>
{
    private const string Large = "/api/fhir/large";

    [Theory]
    [InlineData("Observation")]
    [InlineData("Condition")]
    public async Task Search_TwentyMegabyteBundle_LinksRewrittenEveryOtherByteAsSent(string type)
    {
        using var http = new HttpClient { BaseAddress = fixture.Gateway.BaseAddress };
        var gateway = fixture.Gateway.BaseAddress.AbsoluteUri.TrimEnd('/') + Large;
        var upstream = fixture.Large.BaseUrl;

        using var response = await http.GetAsync(new Uri($"{Large}/{type}?patient=p1", UriKind.Relative));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The platform sent the same bytes with its own base in the two links; everything else must arrive as sent.
        var expected = Encoding.UTF8.GetString(fixture.Large.Bundle)
            .Replace($"\"url\":\"{upstream}/Observation?patient=p1\"", $"\"url\":\"{gateway}/Observation?patient=p1\"", StringComparison.Ordinal)
            .Replace($"\"url\":\"{upstream}/Observation?patient=p1,p2\"", $"\"url\":\"{gateway}/Observation?patient=p1,p2\"", StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetBytes(expected).AsSpan().SequenceEqual(body), $"the relayed Bundle ({body.Length} bytes) is not the platform's ({fixture.Large.Bundle.Length}) with its links rewritten");
        Assert.Contains($"\"fullUrl\":\"{upstream}/Observation/o1\"", Encoding.UTF8.GetString(body, 0, 4096), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_TwentyMegabyteNdjsonExportFile_ArrivesByteForByte()
    {
        using var http = new HttpClient { BaseAddress = fixture.Gateway.BaseAddress };
        var file = $"{fixture.Large.BaseUrl}/{LargeUpstream.NdjsonPath}";

        using var response = await http.GetAsync(new Uri($"{Large}/_page?url={Uri.EscapeDataString(file)}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/fhir+ndjson", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(fixture.Large.Ndjson.AsSpan().SequenceEqual(body), "the NDJSON file changed on its way");
    }
}
