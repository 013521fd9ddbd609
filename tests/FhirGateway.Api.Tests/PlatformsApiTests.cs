using System.Net;
using System.Text.Json;

namespace FhirGateway.Api.Tests;

/// <summary>GET /api/platforms and /api/platforms/{id} over HTTP.</summary>
public sealed class PlatformsApiTests(PlatformsApiFactory factory) : IClassFixture<PlatformsApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<(HttpResponseMessage Response, string Body, JsonElement Json)> GetAsync(string path)
    {
        var response = await _client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        return (response, body, JsonDocument.Parse(body).RootElement);
    }

    private static List<string> Ids(JsonElement list) =>
        [.. list.GetProperty("platforms").EnumerateArray().Select(p => p.GetProperty("id").GetString()!)];

    [Fact]
    public async Task ListPlatforms_NoFilter_ReturnsAllWithTotal()
    {
        var (response, _, json) = await GetAsync("/api/platforms");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ids = Ids(json);
        Assert.True(ids.Count >= 67, $"{ids.Count} platforms");
        Assert.Equal(ids.Count, json.GetProperty("total").GetInt32());
        Assert.Contains("local-sandbox", ids);
        Assert.Contains("epic-sandbox-patient", ids);
    }

    [Fact]
    public async Task ListPlatforms_TypeFilter_OnlyThatType()
    {
        var (_, _, json) = await GetAsync("/api/platforms?type=lab");

        var platform = Assert.Single(json.GetProperty("platforms").EnumerateArray());
        Assert.Equal("questdiagnostics", platform.GetProperty("id").GetString());
        Assert.Equal("lab", platform.GetProperty("type").GetString());
    }

    [Fact]
    public async Task ListPlatforms_RegisteredTrue_OnlyUsableNow()
    {
        var (_, _, json) = await GetAsync("/api/platforms?registered=true");

        Assert.Equal(["aetna", "hapi-local", "local-sandbox", "local-sandbox-ehr", "smarthealthit-sandbox-clinician", "smarthealthit-sandbox-patient"], Ids(json));
        Assert.All(json.GetProperty("platforms").EnumerateArray(), p => Assert.True(p.GetProperty("usable").GetBoolean()));
    }

    [Fact]
    public async Task ListPlatforms_RegisteredFalse_ExplainsWhatToSet()
    {
        var (_, _, json) = await GetAsync("/api/platforms?registered=false&q=cigna");

        var platform = Assert.Single(json.GetProperty("platforms").EnumerateArray());
        Assert.False(platform.GetProperty("registered").GetBoolean());
        Assert.Contains("FHIR_GATEWAY_PLATFORM_CIGNA_CLIENT_ID", platform.GetProperty("problem").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListPlatforms_TextQuery_MatchesAliasesCaseInsensitively()
    {
        var (_, _, json) = await GetAsync("/api/platforms?q=MyChart");

        Assert.Equal(["epic"], Ids(json));
    }

    [Fact]
    public async Task ListPlatforms_UnknownType_BadRequestOperationOutcome()
    {
        var (response, _, json) = await GetAsync("/api/platforms?type=bank");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("OperationOutcome", json.GetProperty("resourceType").GetString());
    }

    [Fact]
    public async Task GetPlatform_ByIdAndByAlias_ReturnsPublicView()
    {
        var (byId, _, platform) = await GetAsync("/api/platforms/unitedhealthcare");
        var (byAlias, _, viaAlias) = await GetAsync("/api/platforms/UHC");

        Assert.Equal(HttpStatusCode.OK, byId.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byAlias.StatusCode);
        Assert.Equal("unitedhealthcare", viaAlias.GetProperty("id").GetString());
        Assert.Equal("https://public.fhir.flex.optum.com", platform.GetProperty("fhir_base_url").GetString());
        Assert.Equal("payer", platform.GetProperty("type").GetString());
        Assert.Equal("required", platform.GetProperty("registration").GetString());
        Assert.Contains("pas", platform.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task GetPlatform_Unknown_NotFoundOperationOutcome()
    {
        var (response, _, json) = await GetAsync("/api/platforms/no-such-platform");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("OperationOutcome", json.GetProperty("resourceType").GetString());
        var issue = Assert.Single(json.GetProperty("issue").EnumerateArray());
        Assert.Equal("error", issue.GetProperty("severity").GetString());
        Assert.Equal("not-found", issue.GetProperty("code").GetString());
        Assert.Contains("no-such-platform", issue.GetProperty("diagnostics").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/platforms")]
    [InlineData("/api/platforms?registered=true")]
    [InlineData("/api/platforms/aetna")]
    [InlineData("/api/platforms/epic-sandbox-patient")]
    public async Task Answers_SecretConfigured_NeverContainCredentials(string path)
    {
        var (response, body, _) = await GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(PlatformsApiFactory.Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain(PlatformsApiFactory.ClientId, body, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", body, StringComparison.Ordinal);
    }
}
