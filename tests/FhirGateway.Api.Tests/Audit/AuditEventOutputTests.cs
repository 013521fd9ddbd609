using System.Net;
using System.Text.Json;
using FhirGateway.Api.Tests.Auth;
using FhirGateway.Testing;

namespace FhirGateway.Api.Tests.Audit;

/// <summary>
/// The audit trail as FHIR AuditEvents (FHIR_GATEWAY_AUDIT_FHIR_URL): read back from the real audit FHIR server,
/// and, when that server is down, never in the user's way.
/// </summary>
public sealed class AuditEventOutputTests(AuditEventFixture fixture) : IClassFixture<AuditEventFixture>
{
    /// <summary>How long a background write may take to show: generous, the machine is shared and loaded.</summary>
    private static readonly TimeSpan WriteDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task FhirRead_AuditServerConfigured_WritesAnAuditEventWithTheCallsFieldsAndNoSecretOrPhi()
    {
        using var browser = new Browser(fixture.Gateway.BaseAddress);
        var code = await LoginAsync(browser, fixture.Gateway);
        using var patient = await browser.GetAsync($"/api/fhir/local-sandbox/Patient/{SandboxServers.PatientId}");
        var patientJson = await patient.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, patient.StatusCode);
        // A call is audited with the status the caller saw, so once its answer is sent: the client may read the whole
        // answer a moment before the audit line is written.
        var logged = await WaitForAsync(() => Task.FromResult(
            fixture.Logs.Entries.LastOrDefault(e => e.Category == "FhirGateway.Audit" && e.Fields.GetValueOrDefault("Action") == "fhir.read")));

        var audit = await WaitForAsync(async () => (await AuditEventsAsync()).FirstOrDefault(e => Detail(e, "trace_id") == logged.Fields["TraceId"]));

        Assert.Equal("rest", audit.GetProperty("type").GetProperty("code").GetString());
        Assert.Equal("http://terminology.hl7.org/CodeSystem/audit-event-type", audit.GetProperty("type").GetProperty("system").GetString());
        Assert.Equal(("http://hl7.org/fhir/restful-interaction", "read"), Coding(audit.GetProperty("subtype")[0]));
        Assert.Equal(("R", "0"), (audit.GetProperty("action").GetString(), audit.GetProperty("outcome").GetString()));
        Assert.True(DateTimeOffset.TryParse(audit.GetProperty("recorded").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
        var agent = audit.GetProperty("agent")[0];
        Assert.Equal(logged.Fields["OwnerHash"], agent.GetProperty("who").GetProperty("identifier").GetProperty("value").GetString());
        Assert.True(agent.GetProperty("requestor").GetBoolean());
        Assert.Equal("FHIR Gateway", audit.GetProperty("source").GetProperty("observer").GetProperty("display").GetString());
        var entity = audit.GetProperty("entity")[0];
        Assert.Equal($"Patient/{SandboxServers.PatientId}", entity.GetProperty("what").GetProperty("reference").GetString());
        Assert.Equal("local-sandbox", Detail(audit, "platform"));

        var login = await WaitForAsync(async () => (await AuditEventsAsync()).FirstOrDefault(e =>
            Coding(e.GetProperty("subtype")[1]).Item2 == "authorize.callback" && Owner(e) == logged.Fields["OwnerHash"]));
        Assert.Equal(("http://dicom.nema.org/resources/ontology/DCM", "110114"), Coding(login.GetProperty("type")));
        Assert.Equal(("http://dicom.nema.org/resources/ontology/DCM", "110122"), Coding(login.GetProperty("subtype")[0]));
        Assert.Equal(("E", "0"), (login.GetProperty("action").GetString(), login.GetProperty("outcome").GetString()));
        Assert.DoesNotContain(fixture.Logs.Entries, e => e.EventId == 7010); // nothing dropped

        var text = audit.GetRawText() + login.GetRawText();
        Assert.False(Jwt.IsIn(text), "a JWT in the AuditEvent");
        var session = browser.Cookies.GetCookies(fixture.Gateway.BaseAddress)["fhirgw_session"]!.Value;
        Assert.All([code, session, GatewayServer.MasterKey], secret => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
        Assert.All(Names(patientJson), name => Assert.DoesNotContain(name, text, StringComparison.Ordinal)); // no resource body
    }

    [Fact]
    public async Task FhirRead_AuditServerDown_AnswersAsUsualAndTheDropIsCountedAndLogged()
    {
        using var browser = new Browser(fixture.Down.BaseAddress);
        await LoginAsync(browser, fixture.Down);

        using var patient = await browser.GetAsync($"/api/fhir/local-sandbox/Patient/{SandboxServers.PatientId}");

        Assert.Equal(HttpStatusCode.OK, patient.StatusCode);
        var dropped = await WaitForAsync(() => Task.FromResult(fixture.DownLogs.Entries.FirstOrDefault(e => e.EventId == 7010)));
        Assert.Equal("Warning", dropped.Level.ToString());
        Assert.True(long.Parse(dropped.Fields["Dropped"], System.Globalization.CultureInfo.InvariantCulture) >= 1, dropped.Message);
        Assert.Contains("unreachable", dropped.Fields["Failure"], StringComparison.Ordinal);
    }

    /// <summary>Logs in at the sandbox through the gateway's browser flow; returns the authorization code (a secret).</summary>
    private static async Task<string> LoginAsync(Browser browser, GatewayServer gateway)
    {
        using var login = await browser.GetAsync("/auth/local-sandbox/login");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        using var sandbox = new SandboxLogin();
        var callback = await sandbox.AuthorizeAsync(login.Headers.Location!, GatewayServer.CallbackFor(gateway.Port));
        using var page = await browser.GetAsync(callback.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return callback.Query.Split('&').Select(p => p.TrimStart('?').Split('=', 2)).First(p => p[0] == "code")[1];
    }

    private async Task<List<JsonElement>> AuditEventsAsync()
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri($"{fixture.AuditBase}/AuditEvent?_count=1000"));
        var bundle = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return bundle.TryGetProperty("entry", out var entries) ? [.. entries.EnumerateArray().Select(e => e.GetProperty("resource"))] : [];
    }

    /// <summary>Waits for a background write to show, up to <see cref="WriteDeadline"/>.</summary>
    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe)
    {
        using var deadline = new CancellationTokenSource(WriteDeadline);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            Assert.True(await tick.WaitForNextTickAsync(deadline.Token).AsTask().ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default),
                $"nothing within {WriteDeadline.TotalSeconds} s");
        }
    }

    private static string? Detail(JsonElement audit, string type) =>
        audit.GetProperty("entity").EnumerateArray()
            .SelectMany(e => e.TryGetProperty("detail", out var details) ? details.EnumerateArray() : [])
            .Where(d => d.GetProperty("type").GetString() == type)
            .Select(d => d.GetProperty("valueString").GetString())
            .FirstOrDefault();

    private static string? Owner(JsonElement audit) =>
        audit.GetProperty("agent")[0].GetProperty("who").GetProperty("identifier").GetProperty("value").GetString();

    private static (string?, string?) Coding(JsonElement coding) => (coding.GetProperty("system").GetString(), coding.GetProperty("code").GetString());

    /// <summary>The patient's family and given names, from the resource the read answered.</summary>
    private static IEnumerable<string> Names(string patientJson) =>
        JsonDocument.Parse(patientJson).RootElement.GetProperty("name").EnumerateArray()
            .SelectMany(n => (n.TryGetProperty("given", out var given) ? given.EnumerateArray().Select(g => g.GetString()!) : [])
                .Append(n.TryGetProperty("family", out var family) ? family.GetString()! : "no-family-name"));
}
