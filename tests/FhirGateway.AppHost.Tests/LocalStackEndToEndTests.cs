using System.Net;
using System.Text.Json;
using FhirGateway.Testing;
using ModelContextProtocol.Client;

namespace FhirGateway.AppHost.Tests;

/// <summary><c>dotnet run --project FhirGateway.AppHost</c> in local mode, as a user gets it, checked from outside.</summary>
public sealed class LocalStackEndToEndTests(LocalStackFixture stack) : IClassFixture<LocalStackFixture>
{
    [Theory]
    [InlineData("api")]
    [InlineData("mcp")]
    public async Task Health_FrontEnd_Answers200(string frontEnd)
    {
        using var http = stack.App.CreateHttpClient(frontEnd);

        using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Mcp_CSharpClient_InitializesAndListsTools()
    {
        var endpoint = new Uri(stack.App.GetEndpoint("mcp", "http"), "/mcp");
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = endpoint }));

        var tools = await client.ListToolsAsync();

        Assert.Equal("FhirGateway.Mcp", client.ServerInfo?.Name);
        Assert.Contains(tools, t => t.Name == "list_platforms");
    }

    [Fact]
    public async Task SandboxFhir_Metadata_IsACapabilityStatementPointingAtTheSandboxAuthServer()
    {
        using var http = stack.App.CreateHttpClient("sandbox-fhir");
        var auth = stack.App.GetEndpoint("sandbox-auth", "http").AbsoluteUri.TrimEnd('/');

        var capability = JsonDocument.Parse(await http.GetStringAsync(new Uri("/payer-a/fhir/metadata", UriKind.Relative))).RootElement;

        Assert.Equal("CapabilityStatement", capability.GetProperty("resourceType").GetString());
        Assert.Contains(auth, capability.GetProperty("rest")[0].GetProperty("security").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SandboxAuth_Discovery_NamesItsIssuer()
    {
        using var http = stack.App.CreateHttpClient("sandbox-auth");
        var issuer = stack.App.GetEndpoint("sandbox-auth", "http").AbsoluteUri.TrimEnd('/');

        var discovery = JsonDocument.Parse(await http.GetStringAsync(new Uri("/.well-known/openid-configuration", UriKind.Relative))).RootElement;

        Assert.Equal(issuer, discovery.GetProperty("issuer").GetString());
    }

    [Fact]
    public async Task Api_TokenStore_IsRedisFromTheAppHost()
    {
        using var http = stack.App.CreateHttpClient("api");

        // The in-memory fallback reports Degraded; with the AppHost's redis-server it must be Healthy.
        var report = await http.GetStringAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal("Healthy", report);
    }

    [Fact]
    public async Task Api_LoginThroughSandboxThenFhirSearch_ReturnsTheSeededPatient()
    {
        var api = stack.App.GetEndpoint("api", "http");
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = api };

        using var login = await browser.GetAsync(new Uri("/auth/local-sandbox/login", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        using var sandbox = new SandboxLogin();
        var callback = await sandbox.AuthorizeAsync(login.Headers.Location!, new Uri(api, "/oauth/callback").AbsoluteUri);
        using var page = await browser.GetAsync(new Uri(callback.PathAndQuery, UriKind.Relative));
        using var search = await browser.GetAsync(new Uri($"/api/fhir/local-sandbox/Patient?_id={SandboxServers.PatientId}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        var bundle = JsonDocument.Parse(await search.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(SandboxServers.PatientId, bundle.GetProperty("entry")[0].GetProperty("resource").GetProperty("id").GetString());

        // The AppHost points the audit trail at the sandbox's audit base: the search arrives there as an AuditEvent
        // (written in the background), naming the type searched and not the query's patient id.
        using var fhir = stack.App.CreateHttpClient("sandbox-fhir");
        var audited = await AuditEventsAsync(fhir, "search-type", TimeSpan.FromSeconds(30));
        Assert.True(audited.Count > 0, "no search-type AuditEvent reached the sandbox's audit base within 30 s");
        Assert.All(audited, text => Assert.DoesNotContain(SandboxServers.PatientId, text, StringComparison.Ordinal));
    }

    /// <summary>AuditEvents in the sandbox's audit base with <paramref name="subtype"/>, asked until one is there.</summary>
    private static async Task<List<string>> AuditEventsAsync(HttpClient fhir, string subtype, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using var answer = await fhir.GetAsync(new Uri($"/audit/fhir/AuditEvent?_count=100", UriKind.Relative));
            var found = new List<string>();
            if (answer.IsSuccessStatusCode)
            {
                var page = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
                if (page.TryGetProperty("entry", out var entries))
                {
                    found.AddRange(entries.EnumerateArray()
                        .Select(e => e.GetProperty("resource"))
                        .Where(r => r.TryGetProperty("subtype", out var codes) && codes.EnumerateArray().Any(c => c.GetProperty("code").GetString() == subtype))
                        .Select(r => r.GetRawText()));
                }
            }

            if (found.Count > 0 || DateTime.UtcNow > deadline)
            {
                return found;
            }

            await Task.Delay(250);
        }
    }
}
