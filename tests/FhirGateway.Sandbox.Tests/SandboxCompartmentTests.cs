using System.Net;
using System.Text.Json;
using FhirGateway.Testing;

namespace FhirGateway.Sandbox.Tests;

/// <summary>
/// The sandbox limits a token whose resource scopes are all <c>patient/</c> to its patient's compartment
/// (SMART App Launch 2.x scopes); <c>user/</c> scopes see every patient.
/// </summary>
public sealed class SandboxCompartmentTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private const string SecondPatientId = "1b2c3d4e-5f60-4718-9a0b-c1d2e3f40516";
    private const string UserScope = "openid fhirUser user/*.rs";

    private SandboxServers Sandbox => fixture.Servers;

    [Fact]
    public async Task Read_PatientScope_OwnPatient200OtherPatient403()
    {
        using var client = new SmartClient(Sandbox);
        var token = await TokenAsync(client);

        using var own = await client.FhirSendAsync(HttpMethod.Get, $"Patient/{SandboxServers.PatientId}", token);
        using var other = await client.FhirSendAsync(HttpMethod.Get, $"Patient/{SecondPatientId}", token);
        using var everything = await client.FhirSendAsync(HttpMethod.Get, $"Patient/{SecondPatientId}/$everything", token);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        await AssertForbiddenAsync(other);
        await AssertForbiddenAsync(everything);
    }

    [Fact]
    public async Task Search_PatientScope_OnlyTheTokensPatientsObservations()
    {
        using var client = new SmartClient(Sandbox);
        var token = await TokenAsync(client);

        var all = await SearchAsync(client, "Observation?_count=1000", token);
        var theirs = await SearchAsync(client, $"Observation?subject=Patient/{SecondPatientId}", token);
        var patients = await SearchAsync(client, "Patient", token);

        Assert.Equal(29, all.GetProperty("total").GetInt32());
        Assert.All(all.GetProperty("entry").EnumerateArray(), e =>
            Assert.Equal($"Patient/{SandboxServers.PatientId}", e.GetProperty("resource").GetProperty("subject").GetProperty("reference").GetString()));
        Assert.Equal(0, theirs.GetProperty("total").GetInt32());
        Assert.Equal(SandboxServers.PatientId, Assert.Single(patients.GetProperty("entry").EnumerateArray()).GetProperty("resource").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Read_PatientScope_OtherPatientsObservation403UserScopeSeesIt()
    {
        using var client = new SmartClient(Sandbox);
        var user = await TokenAsync(client, UserScope, "clinician");
        var patient = await TokenAsync(client);
        var theirs = await SearchAsync(client, $"Observation?subject=Patient/{SecondPatientId}", user);
        var id = theirs.GetProperty("entry")[0].GetProperty("resource").GetProperty("id").GetString();

        using var asUser = await client.FhirSendAsync(HttpMethod.Get, $"Observation/{id}", user);
        using var asPatient = await client.FhirSendAsync(HttpMethod.Get, $"Observation/{id}", patient);
        using var history = await client.FhirSendAsync(HttpMethod.Get, $"Observation/{id}/_history", patient);
        var all = await SearchAsync(client, "Observation?_summary=count", user);

        Assert.Equal(3, theirs.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.OK, asUser.StatusCode);
        await AssertForbiddenAsync(asPatient);
        await AssertForbiddenAsync(history);
        Assert.Equal(32, all.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Search_PatientScopeWithoutPatientContext_Returns403()
    {
        using var client = new SmartClient(Sandbox);
        var token = await TokenAsync(client, "openid fhirUser patient/*.rs", "clinician");

        using var response = await client.FhirSendAsync(HttpMethod.Get, "Observation", token);

        await AssertForbiddenAsync(response);
    }

    [Fact]
    public async Task Batch_PatientScope_ReadOfAnotherPatientAnswered403InItsEntry()
    {
        using var client = new SmartClient(Sandbox);
        var token = await TokenAsync(client);
        var batch = $$$"""
            {"resourceType":"Bundle","type":"batch","entry":[
              {"request":{"method":"GET","url":"Patient/{{{SecondPatientId}}}"}},
              {"request":{"method":"GET","url":"Patient/{{{SandboxServers.PatientId}}}"}}]}
            """;

        using var response = await client.FhirSendAsync(HttpMethod.Post, "", token, batch);

        var entries = (await SmartClient.ReadSuccessAsync(response)).GetProperty("entry");
        Assert.StartsWith("403", entries[0].GetProperty("response").GetProperty("status").GetString(), StringComparison.Ordinal);
        Assert.False(entries[0].TryGetProperty("resource", out _));
        Assert.Equal(SandboxServers.PatientId, entries[1].GetProperty("resource").GetProperty("id").GetString());
    }

    private static async Task<string> TokenAsync(SmartClient client, string scope = SmartClient.DefaultScope, string username = "patient")
    {
        var pkce = Pkce.Create();
        using var browser = new SandboxLogin();
        var back = await browser.AuthorizeAsync(client.AuthorizeUrl(pkce, "state-compartment-0123456789", scope: scope), SandboxServers.DefaultRedirectUri, username);
        using var response = await client.ExchangeCodeAsync(SmartClient.ParseQuery(back)["code"], pkce.Verifier);
        return (await SmartClient.ReadSuccessAsync(response)).GetProperty("access_token").GetString()!;
    }

    private static async Task<JsonElement> SearchAsync(SmartClient client, string query, string token)
    {
        using var response = await client.FhirSendAsync(HttpMethod.Get, query, token);
        return await SmartClient.ReadSuccessAsync(response);
    }

    private static async Task AssertForbiddenAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("OperationOutcome", JsonDocument.Parse(body).RootElement.GetProperty("resourceType").GetString());
    }
}
