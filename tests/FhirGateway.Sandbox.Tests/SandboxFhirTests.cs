using System.Net;
using System.Text.Json;
using FhirGateway.Testing;

namespace FhirGateway.Sandbox.Tests;

/// <summary>The sandbox FHIR server, called with tokens from the sandbox auth server.</summary>
public sealed class SandboxFhirTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private SandboxServers Sandbox => fixture.Servers;

    [Fact]
    public async Task Search_WithAccessToken_ReturnsTheSeededPatient()
    {
        using var client = new SmartClient(Sandbox);
        var tokens = await client.LoginAsync();

        using var response = await client.FhirGetAsync($"Patient?_id={SandboxServers.PatientId}", tokens.GetProperty("access_token").GetString());
        var bundle = await SmartClient.ReadSuccessAsync(response);

        Assert.Equal("Bundle", bundle.GetProperty("resourceType").GetString());
        var patient = Assert.Single(bundle.GetProperty("entry").EnumerateArray()).GetProperty("resource");
        Assert.Equal(SandboxServers.PatientId, patient.GetProperty("id").GetString());
        Assert.Equal("Patient", patient.GetProperty("resourceType").GetString());
    }

    [Fact]
    public async Task Search_WithoutToken_Returns401OperationOutcome()
    {
        using var client = new SmartClient(Sandbox);

        using var response = await client.FhirGetAsync("Patient", accessToken: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var outcome = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
    }

    [Fact]
    public async Task Search_TokenForAnotherBase_Returns401()
    {
        using var client = new SmartClient(Sandbox);
        var tokens = await client.LoginAsync(aud: Sandbox.FhirBase("ehr-b"));

        using var wrongBase = await client.FhirGetAsync("Patient", tokens.GetProperty("access_token").GetString(), "payer-a");
        using var rightBase = await client.FhirGetAsync("Patient", tokens.GetProperty("access_token").GetString(), "ehr-b");

        Assert.Equal(HttpStatusCode.Unauthorized, wrongBase.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rightBase.StatusCode);
    }

    [Fact]
    public async Task Metadata_Anonymous_AdvertisesTheAuthServerInSmartExtension()
    {
        using var client = new SmartClient(Sandbox);

        using var response = await client.FhirGetAsync("metadata", accessToken: null);
        var capability = await SmartClient.ReadSuccessAsync(response);

        Assert.Equal("CapabilityStatement", capability.GetProperty("resourceType").GetString());
        var oauthUris = capability.GetProperty("rest")[0].GetProperty("security").GetProperty("extension").EnumerateArray()
            .Single(e => e.GetProperty("url").GetString() == "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris");
        var authorize = oauthUris.GetProperty("extension").EnumerateArray().Single(e => e.GetProperty("url").GetString() == "authorize");
        Assert.StartsWith(Sandbox.AuthIssuer.AbsoluteUri.TrimEnd('/'), authorize.GetProperty("valueUri").GetString(), StringComparison.Ordinal);
    }
}

/// <summary>The FHIR interactions the gateway's REST and MCP tests will rely on.</summary>
public sealed class SandboxFhirInteractionTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private const string WriteScope = "openid fhirUser launch/patient offline_access patient/*.cruds";

    private SandboxServers Sandbox => fixture.Servers;

    [Fact]
    public async Task Search_FollowingNextLinks_ReturnsEveryObservationExactlyOnce()
    {
        using var client = new SmartClient(Sandbox);
        var token = (await client.LoginAsync()).GetProperty("access_token").GetString()!;
        using var all = await client.FhirSendAsync(HttpMethod.Get, $"Observation?subject=Patient/{SandboxServers.PatientId}&_count=1000", token);
        var expected = Ids(await SmartClient.ReadSuccessAsync(all)).ToHashSet();

        var seen = new List<string>();
        var pages = 0;
        string? next = $"Observation?subject=Patient/{SandboxServers.PatientId}&_count=5";
        while (next is not null)
        {
            using var response = await client.FhirSendAsync(HttpMethod.Get, next, token);
            var page = await SmartClient.ReadSuccessAsync(response);
            seen.AddRange(Ids(page));
            next = Link(page, "next");
            Assert.True(next is null || next.StartsWith(Sandbox.FhirBase() + "/", StringComparison.Ordinal), next);
            pages++;
        }

        Assert.True(pages >= 3, $"only {pages} pages");
        Assert.True(expected.Count >= 15, $"only {expected.Count} observations seeded");
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(expected, seen.ToHashSet());
    }

    [Fact]
    public async Task CreateThenUpdate_IfMatch_ReturnsLocationAndETagAndRefusesStaleVersions()
    {
        using var client = new SmartClient(Sandbox);
        var tokens = await LoginWithScopeAsync(client, WriteScope);
        var token = tokens.GetProperty("access_token").GetString()!;
        var observation = $$$"""{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},"subject":{"reference":"Patient/{{{SandboxServers.PatientId}}}"},"valueQuantity":{"value":72,"unit":"/min"}}""";

        using var created = await client.FhirSendAsync(HttpMethod.Post, "Observation", token, observation);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.StartsWith($"{Sandbox.FhirBase()}/Observation/", created.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("W/\"1\"", created.Headers.ETag!.ToString());
        var id = (await SmartClient.ReadSuccessAsync(created)).GetProperty("id").GetString()!;
        var updated = observation.Replace("{\"resourceType\":\"Observation\",", $"{{\"resourceType\":\"Observation\",\"id\":\"{id}\",", StringComparison.Ordinal);

        using var stale = await client.FhirSendAsync(HttpMethod.Put, $"Observation/{id}", token, updated, r => r.Headers.IfMatch.ParseAdd("W/\"7\""));
        using var current = await client.FhirSendAsync(HttpMethod.Put, $"Observation/{id}", token, updated, r => r.Headers.IfMatch.ParseAdd("W/\"1\""));

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        Assert.Equal("W/\"2\"", current.Headers.ETag!.ToString());
    }

    [Fact]
    public async Task Create_ReadOnlyScope_Returns403()
    {
        using var client = new SmartClient(Sandbox);
        var token = (await client.LoginAsync()).GetProperty("access_token").GetString()!;

        using var response = await client.FhirSendAsync(HttpMethod.Post, "Observation", token, """{"resourceType":"Observation","status":"final","code":{"text":"x"}}""");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static async Task<JsonElement> LoginWithScopeAsync(SmartClient client, string scope)
    {
        var pkce = Pkce.Create();
        using var browser = new SandboxLogin();
        var back = await browser.AuthorizeAsync(client.AuthorizeUrl(pkce, "state-write-0123456789", scope: scope), SandboxServers.DefaultRedirectUri);
        using var response = await client.ExchangeCodeAsync(SmartClient.ParseQuery(back)["code"], pkce.Verifier);
        return await SmartClient.ReadSuccessAsync(response);
    }

    private static IEnumerable<string> Ids(JsonElement bundle) =>
        bundle.TryGetProperty("entry", out var entries)
            ? entries.EnumerateArray().Select(e => e.GetProperty("resource").GetProperty("id").GetString()!)
            : [];

    private static string? Link(JsonElement bundle, string relation) =>
        bundle.GetProperty("link").EnumerateArray()
            .Where(l => l.GetProperty("relation").GetString() == relation)
            .Select(l => l.GetProperty("url").GetString())
            .FirstOrDefault();
}
