using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using FhirGateway.Core.Identity;
using FhirGateway.Testing;

namespace FhirGateway.Mcp.Tests;

/// <summary>The FHIR tools against the sandbox through the shared upstream client, with the caller's own connection.</summary>
[Collection(McpGatewayGroup.Name)]
public sealed partial class FhirToolTests(McpFixture fixture)
{
    [Fact]
    public async Task FhirTools_ConnectedWithWriteScopes_SearchReadCreateUpdateDeleteAndRestSeesTheSame()
    {
        var key = GatewayKey.Create();
        await fixture.ConnectKeyAsync(key, McpFixture.WriteScopes);
        await using var client = await fixture.ConnectAsync(key);
        var patient = $"Patient/{SandboxServers.PatientId}";

        var labs = await client.CallAsync("search", new()
        {
            ["platform_id"] = "local-sandbox", ["resource_type"] = "Observation",
            ["params"] = new Dictionary<string, object> { ["category"] = "laboratory", ["patient"] = patient }, ["sort"] = "-date",
        });
        Assert.Matches(@"^Observation search at local-sandbox: 12 total, 12 in this page\.", labs);
        Assert.Contains("Hemoglobin A1c (4548-4) | 6.6 %", labs, StringComparison.Ordinal);
        var firstId = ResourceIds().Match(labs).Groups["id"].Value;

        var read = await client.CallAsync("read", new() { ["platform_id"] = "local-sandbox", ["resource_type"] = "Observation", ["id"] = firstId });
        Assert.StartsWith($"Observation/{firstId} | ", read, StringComparison.Ordinal);
        Assert.Contains("\"resourceType\":\"Observation\"", read.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);

        var created = await client.CallAsync("create", new()
        {
            ["platform_id"] = "local-sandbox", ["resource_type"] = "Observation",
            ["resource"] = Observation(null, patient, "preliminary", 101),
        });
        var id = CreatedId().Match(created).Groups["id"].Value;
        Assert.False(string.IsNullOrEmpty(id), created);

        var updated = await client.CallAsync("update", new()
        {
            ["platform_id"] = "local-sandbox", ["resource_type"] = "Observation", ["id"] = id,
            ["resource"] = Observation(id, patient, "final", 99),
        });
        Assert.StartsWith($"updated: Observation/{id} | Glucose", updated, StringComparison.Ordinal);
        Assert.Contains("99 mg/dL", updated, StringComparison.Ordinal);

        var overRest = await RestGetAsync(key, $"/api/fhir/local-sandbox/Observation/{id}");
        Assert.Equal(HttpStatusCode.OK, overRest.StatusCode);
        Assert.Equal("final", (await overRest.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        Assert.Equal($"deleted: Observation/{id}", await client.CallAsync("delete", new() { ["platform_id"] = "local-sandbox", ["resource_type"] = "Observation", ["id"] = id }));
        var gone = await client.CallFailingAsync("read", new() { ["platform_id"] = "local-sandbox", ["resource_type"] = "Observation", ["id"] = id });
        Assert.Matches("answered (404|410)", gone);
    }

    [Fact]
    public async Task Search_SmallCount_PagesWithAnOpaqueTokenAndRefusesAForgedOne()
    {
        var key = GatewayKey.Create();
        await fixture.ConnectKeyAsync(key);
        await using var client = await fixture.ConnectAsync(key);

        var first = await client.CallAsync("search", new()
        {
            ["platform_id"] = "local-sandbox", ["resource_type"] = "Observation",
            ["params"] = new Dictionary<string, object> { ["category"] = "laboratory" }, ["count"] = 5,
        });
        var token = McpFixture.Field(first, "next_page");
        var second = await client.CallAsync("get_next_page", new() { ["platform_id"] = "local-sandbox", ["page"] = token });

        Assert.StartsWith("pg1.", token, StringComparison.Ordinal);
        Assert.DoesNotContain("http", token, StringComparison.Ordinal);
        Assert.Contains("5 in this page", second, StringComparison.Ordinal);
        Assert.NotEqual(ResourceIds().Match(first).Value, ResourceIds().Match(second).Value);
        var forged = "pg1." + System.Buffers.Text.Base64Url.EncodeToString("_page?url=http%3A%2F%2F169.254.169.254%2Flatest"u8);
        Assert.Contains("not inside the platform's FHIR base", await client.CallFailingAsync("get_next_page", new() { ["platform_id"] = "local-sandbox", ["page"] = forged }), StringComparison.Ordinal);
        Assert.Contains("page token is not valid", await client.CallFailingAsync("get_next_page", new() { ["platform_id"] = "local-sandbox", ["page"] = "https://evil.example/" }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_RawEverything_StaysUnderTheSizeLimitAndSaysWhatWasCut()
    {
        var key = GatewayKey.Create();
        await fixture.ConnectKeyAsync(key);
        await using var client = await fixture.ConnectAsync(key);

        var answer = await client.CallAsync("search", new() { ["platform_id"] = "local-sandbox", ["resource_type"] = "Observation", ["count"] = 200, ["raw"] = true });

        Assert.True(answer.Length <= 20_000, $"{answer.Length} characters");
        Assert.Contains("were cut to keep this answer under 20000 characters", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_NotConnected_SaysToCallStartAuth()
    {
        await using var client = await fixture.ConnectAsync(GatewayKey.Create());

        var error = await client.CallFailingAsync("search", new() { ["platform_id"] = "local-sandbox", ["resource_type"] = "Observation" });

        Assert.Contains("call start_auth with platform_id 'local-sandbox'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CountAndCapabilities_Connected_AnswerInOneLine()
    {
        var key = GatewayKey.Create();
        await fixture.ConnectKeyAsync(key);
        await using var client = await fixture.ConnectAsync(key);

        var count = await client.CallAsync("count", new() { ["platform_id"] = "local-sandbox", ["resource_type"] = "Observation", ["params"] = new Dictionary<string, object> { ["category"] = "laboratory", ["patient"] = SandboxServers.PatientId } });
        var capabilities = await client.CallAsync("get_capabilities", new() { ["platform_id"] = "local-sandbox", ["resource_type"] = "Observation" });

        Assert.Equal("Observation at local-sandbox: 12 match.", count);
        Assert.Contains("search parameters:", capabilities, StringComparison.Ordinal);
        Assert.Contains("category", capabilities, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteOperation_NotAllowlisted_IsRefusedBeforeThePlatform()
    {
        var key = GatewayKey.Create();
        await using var client = await fixture.ConnectAsync(key);

        var error = await client.CallFailingAsync("execute_operation", new() { ["platform_id"] = "local-sandbox", ["operation"] = "$purge", ["resource_type"] = "Patient", ["id"] = "x" });

        Assert.Contains("$purge is not allowed", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_TwentyKeysInParallel_EachSeesOnlyItsOwnConnection()
    {
        var keys = Enumerable.Range(0, 20).Select(_ => GatewayKey.Create()).ToList();
        var connected = keys.Where((_, i) => i % 2 == 1).ToHashSet();
        await Task.WhenAll(connected.Select(key => fixture.ConnectKeyAsync(key)));

        var answers = await Task.WhenAll(keys.Select(async key =>
        {
            await using var client = await fixture.ConnectAsync(key);
            var result = await client.CallToolAsync("search", new Dictionary<string, object?> { ["platform_id"] = "local-sandbox", ["resource_type"] = "Patient" });
            return (key, error: result.IsError == true, text: McpClientExtensions.Text(result));
        }));

        foreach (var (key, error, text) in answers)
        {
            McpAssert.NoToken(text);
            Assert.Equal(!connected.Contains(key), error);
            Assert.Contains(connected.Contains(key) ? $"Patient/{SandboxServers.PatientId}" : "call start_auth", text, StringComparison.Ordinal);
        }
    }

    private async Task<HttpResponseMessage> RestGetAsync(string key, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.Api.BaseAddress, path));
        request.Headers.Add(GatewayKey.HeaderName, key);
        return await fixture.Http.SendAsync(request);
    }

    private static Dictionary<string, object?> Observation(string? id, string patient, string status, int glucose)
    {
        var observation = Observation(patient, status, glucose);
        if (id is not null)
        {
            observation["id"] = id;
        }

        return observation;
    }

    private static Dictionary<string, object?> Observation(string patient, string status, int glucose) => new()
    {
        ["resourceType"] = "Observation",
        ["status"] = status,
        ["category"] = new[] { new { coding = new[] { new { system = "http://terminology.hl7.org/CodeSystem/observation-category", code = "laboratory" } } } },
        ["code"] = new { text = "Glucose", coding = new[] { new { system = "http://loinc.org", code = "2345-7" } } },
        ["subject"] = new { reference = patient },
        ["effectiveDateTime"] = "2025-01-15T09:30:00Z",
        ["valueQuantity"] = new { value = glucose, unit = "mg/dL", system = "http://unitsofmeasure.org", code = "mg/dL" },
    };

    [GeneratedRegex(@"^Observation/(?<id>[A-Za-z0-9\-\.]+) \|", RegexOptions.Multiline)]
    private static partial Regex ResourceIds();

    [GeneratedRegex(@"^created: Observation/(?<id>[A-Za-z0-9\-\.]+)")]
    private static partial Regex CreatedId();
}
