using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using FhirGateway.Core.Identity;

namespace FhirGateway.Mcp.Tests;

/// <summary>Long calls over MCP: a bulk export polled to its manifest and a multi-page search, both reporting progress.</summary>
[Collection(McpGatewayGroup.Name)]
public sealed partial class ProgressToolTests(McpFixture fixture)
{
    [Fact]
    public async Task BulkExport_PatientLevel_AnswersManifestWithGatewayUrlsAndReportsProgress()
    {
        var key = GatewayKey.Create();
        await fixture.ConnectKeyAsync(key, McpFixture.WriteScopes);
        await using var client = await fixture.ConnectAsync(key);
        var progress = new ProgressLog();

        var manifest = await client.CallAsync("bulk_export", new()
        {
            ["platform_id"] = "local-sandbox", ["level"] = "patient", ["types"] = new List<string> { "Observation", "Condition" }, ["timeout"] = 60,
        }, progress);

        Assert.StartsWith("Export at local-sandbox complete:", manifest, StringComparison.Ordinal);
        var gatewayFiles = $"{fixture.Api.BaseAddress.AbsoluteUri.TrimEnd('/')}/api/fhir/local-sandbox/";
        var observations = FileLine().Matches(manifest).Single(m => m.Groups["type"].Value == "Observation");
        Assert.True(int.Parse(observations.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, manifest);
        var url = new Uri(observations.Groups["url"].Value);
        Assert.StartsWith(gatewayFiles, url.AbsoluteUri, StringComparison.Ordinal);
        await progress.WaitForAsync(1, TimeSpan.FromSeconds(10));
        Assert.Contains(progress.Values, p => p.Message?.StartsWith("Export at local-sandbox", StringComparison.Ordinal) == true);

        // The URL is the Api's: the same key downloads the NDJSON file through the gateway.
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add(GatewayKey.HeaderName, key);
        using var file = await fixture.Http.SendAsync(request);
        var ndjson = await file.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.All(ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries), line =>
            Assert.Equal("Observation", JsonDocument.Parse(line).RootElement.GetProperty("resourceType").GetString()));
    }

    [Fact]
    public async Task BulkExport_TimeoutZero_AnswersAJobTokenThatResumesTheSameExport()
    {
        var key = GatewayKey.Create();
        await fixture.ConnectKeyAsync(key, McpFixture.WriteScopes);
        await using var client = await fixture.ConnectAsync(key);

        // The sandbox's export is ready one second after its kick-off (SANDBOX_EXPORT_SECONDS): a zero wait sees it running.
        var pending = await client.CallAsync("bulk_export", new() { ["platform_id"] = "local-sandbox", ["types"] = new List<string> { "Condition" }, ["timeout"] = 0 });
        var job = McpFixture.Field(pending, "job");
        var resumed = await client.CallAsync("bulk_export", new() { ["platform_id"] = "local-sandbox", ["job"] = job, ["timeout"] = 30 });

        Assert.StartsWith("pending: the export at local-sandbox is still running (in-progress", pending, StringComparison.Ordinal);
        Assert.StartsWith("pg1.", job, StringComparison.Ordinal);
        Assert.StartsWith("Export at local-sandbox complete:", resumed, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^Condition \| \d+ resources \| ", resumed);
        Assert.DoesNotMatch(@"(?m)^Observation \|", resumed);
    }

    [Fact]
    public async Task BulkExport_JobTokenOfASearchPage_IsRefusedAsNoManifest()
    {
        var key = GatewayKey.Create();
        await fixture.ConnectKeyAsync(key);
        await using var client = await fixture.ConnectAsync(key);
        var page = McpFixture.Field(await client.CallAsync("search", new() { ["platform_id"] = "local-sandbox", ["resource_type"] = "Observation", ["count"] = 5 }), "next_page");

        var error = await client.CallFailingAsync("bulk_export", new() { ["platform_id"] = "local-sandbox", ["job"] = page, ["timeout"] = 5 });

        Assert.Contains("did not answer an export manifest", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BulkExport_GroupWithoutId_IsRefusedBeforeThePlatform()
    {
        await using var client = await fixture.ConnectAsync(GatewayKey.Create());

        var error = await client.CallFailingAsync("bulk_export", new() { ["platform_id"] = "local-sandbox", ["level"] = "group" });

        Assert.Contains("group_id is needed", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_ThreePagesOfFive_AnswersFifteenDistinctWithProgressPerPage()
    {
        var key = GatewayKey.Create();
        await fixture.ConnectKeyAsync(key, McpFixture.WriteScopes);
        await using var client = await fixture.ConnectAsync(key);
        var progress = new ProgressLog();
        await using var recording = client.RecordProgress(progress);

        // A progress argument makes the SDK send a progress token; the session-wide log sees every notification.
        var answer = await client.CallAsync("search", new()
        {
            ["platform_id"] = "local-sandbox", ["resource_type"] = "Observation", ["count"] = 5, ["max_pages"] = 3,
        }, new ProgressLog());

        await progress.WaitForAsync(3, TimeSpan.FromSeconds(10));
        var ids = ObservationIds().Matches(answer).Select(m => m.Groups["id"].Value).ToList();
        Assert.True(ids.Distinct().Count() >= 15, answer);
        Assert.Contains("15 in 3 pages", answer, StringComparison.Ordinal);
        Assert.StartsWith("pg1.", McpFixture.Field(answer, "next_page"), StringComparison.Ordinal);
        Assert.Equal([1f, 2f, 3f], progress.Values.Select(p => p.Progress).Order());
        Assert.All(progress.Values, p => Assert.Equal(3, p.Total));
        Assert.Contains(progress.Values, p => p.Message?.Contains("page 3 of ≤3", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Search_RawPagesBeyondTheSizeLimit_StopsEarlyAtAWholePageAndSaysSo()
    {
        var key = GatewayKey.Create();
        await fixture.ConnectKeyAsync(key);
        await using var client = await fixture.ConnectAsync(key);

        var answer = await client.CallAsync("search", new() { ["platform_id"] = "local-sandbox", ["resource_type"] = "Observation", ["count"] = 10, ["raw"] = true, ["max_pages"] = 10 });

        var stop = Regex.Match(answer, @"stopped after page (?<n>\d+) of up to 10: the next page did not fit");
        Assert.True(stop.Success, answer);
        Assert.True(answer.Length <= 20_000, $"{answer.Length} characters");
        Assert.Contains($"{int.Parse(stop.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture) * 10} in ", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("were cut", answer, StringComparison.Ordinal);
        Assert.StartsWith("pg1.", McpFixture.Field(answer, "next_page"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_MaxPagesOverTheCap_IsRefused()
    {
        await using var client = await fixture.ConnectAsync(GatewayKey.Create());

        var error = await client.CallFailingAsync("search", new() { ["platform_id"] = "local-sandbox", ["resource_type"] = "Observation", ["max_pages"] = 11 });

        Assert.Contains("max_pages must be between 1 and 10", error, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^(?<type>[A-Za-z]+) \| (?<count>\d+) resources \| (?<url>\S+)$", RegexOptions.Multiline)]
    private static partial Regex FileLine();

    [GeneratedRegex(@"^Observation/(?<id>[A-Za-z0-9\-\.]+) \|", RegexOptions.Multiline)]
    private static partial Regex ObservationIds();
}
