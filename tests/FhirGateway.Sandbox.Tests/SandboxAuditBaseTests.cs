using System.Net;
using System.Text;
using System.Text.Json;
using FhirGateway.Testing;

namespace FhirGateway.Sandbox.Tests;

/// <summary>The open <c>audit</c> base (SANDBOX_FHIR_OPEN_BASES): the gateway's AuditEvent sink, writable without a token.</summary>
public sealed class SandboxAuditBaseTests : IAsyncLifetime
{
    private SandboxServers? _sandbox;

    public async Task InitializeAsync() => _sandbox = await SandboxServers.StartAsync(new SandboxOptions { Bases = ["payer-a", "audit"] });

    [Fact]
    public async Task AuditBase_TransactionOfAuditEventsWithoutToken_IsStoredAndSearchable_WhileOtherBasesStillNeedOne()
    {
        using var http = new HttpClient();
        var audit = _sandbox!.FhirBase("audit");
        const string Bundle = """
            {"resourceType":"Bundle","type":"transaction","entry":[{"fullUrl":"urn:uuid:6f1c1d4e-8a4b-4c47-9f0e-2b7c6a1e0d11",
              "resource":{"resourceType":"AuditEvent","type":{"system":"http://terminology.hl7.org/CodeSystem/audit-event-type","code":"rest"},
                "action":"R","recorded":"2026-11-28T12:00:00Z","outcome":"0",
                "agent":[{"who":{"identifier":{"system":"urn:fhir-gateway:owner","value":"0123456789abcdef"}},"requestor":true}],
                "source":{"observer":{"display":"FHIR Gateway"}}},
              "request":{"method":"POST","url":"AuditEvent"}}]}
            """;

        using var posted = await http.PostAsync(new Uri(audit), new StringContent(Bundle, Encoding.UTF8, "application/fhir+json"));
        using var found = await http.GetAsync(new Uri($"{audit}/AuditEvent?action=R"));
        using var payer = await http.GetAsync(new Uri($"{_sandbox.FhirBase("payer-a")}/AuditEvent"));

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var entry = JsonDocument.Parse(await found.Content.ReadAsStringAsync()).RootElement.GetProperty("entry");
        Assert.Equal("0123456789abcdef", entry[0].GetProperty("resource").GetProperty("agent")[0].GetProperty("who").GetProperty("identifier").GetProperty("value").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, payer.StatusCode);
    }

    public async Task DisposeAsync()
    {
        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
        }
    }
}
