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
