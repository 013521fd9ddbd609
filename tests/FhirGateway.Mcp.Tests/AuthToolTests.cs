using FhirGateway.Core.Identity;

namespace FhirGateway.Mcp.Tests;

/// <summary>The SMART login driven over MCP, finished in a browser on the Api's callback.</summary>
[Collection(McpGatewayGroup.Name)]
public sealed class AuthToolTests(McpFixture fixture)
{
    [Fact]
    public async Task StartAuth_WithoutKey_MintsAKeyThatOwnsTheConnectionAndWaitSeesItLandWithProgress()
    {
        await using var anonymous = await fixture.ConnectAsync(key: null);
        var before = await anonymous.CallAsync("get_auth_status", new());
        Assert.Contains("X-FHIR-Gateway-Key", before, StringComparison.Ordinal);

        var started = await anonymous.CallAsync("start_auth", new() { ["platform_id"] = "local-sandbox" });
        var key = McpFixture.Field(started, "gateway_key");
        var authorizeUrl = McpFixture.Field(started, "authorize_url");
        Assert.True(GatewayKey.IsWellFormed(key), key);
        Assert.Contains($"Configure your MCP client to send the header X-FHIR-Gateway-Key: {key}", started, StringComparison.Ordinal);
        Assert.StartsWith(fixture.Sandbox.AuthIssuer.AbsoluteUri, authorizeUrl, StringComparison.Ordinal);

        await using var client = await fixture.ConnectAsync(key);
        Assert.Contains("local-sandbox | not connected", await client.CallAsync("get_auth_status", new() { ["platform_id"] = "local-sandbox" }), StringComparison.Ordinal);
        var progress = new ProgressLog();
        var wait = client.CallAsync("wait_for_auth", new() { ["platform_id"] = "local-sandbox", ["timeout"] = 60 }, progress);
        await Task.Delay(1500); // the wait is listening, and has ticked at least once

        await fixture.CompleteLoginAsync(authorizeUrl);
        var waited = await wait.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.StartsWith("connected: local-sandbox | connected", waited, StringComparison.Ordinal);
        Assert.NotEmpty(progress.Values);
        Assert.All(progress.Values, p => Assert.Equal(60, p.Total));
        var status = await client.CallAsync("get_auth_status", new());
        Assert.StartsWith("local-sandbox | connected", status, StringComparison.Ordinal);
        Assert.Contains($"patient: {Testing.SandboxServers.PatientId}", status, StringComparison.Ordinal);
        Assert.Contains("X-FHIR-Gateway-Key", await anonymous.CallAsync("get_auth_status", new()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAuth_WithKey_UsesItAndMintsNone()
    {
        var key = GatewayKey.Create();
        await using var client = await fixture.ConnectAsync(key);

        var started = await client.CallAsync("start_auth", new() { ["platform_id"] = "sandbox-local" });
        await fixture.CompleteLoginAsync(McpFixture.Field(started, "authorize_url"));

        Assert.DoesNotContain("gateway_key", started, StringComparison.Ordinal);
        Assert.StartsWith("connected: local-sandbox", await client.CallAsync("wait_for_auth", new() { ["platform_id"] = "local-sandbox", ["timeout"] = 5 }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForAuth_NoLogin_AnswersPendingAtTheTimeout()
    {
        await using var client = await fixture.ConnectAsync(GatewayKey.Create());

        var answer = await client.CallAsync("wait_for_auth", new() { ["platform_id"] = "local-sandbox", ["timeout"] = 0.5 });

        Assert.StartsWith("pending:", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokeAuth_Connected_RemovesTheConnection()
    {
        var key = GatewayKey.Create();
        await fixture.ConnectKeyAsync(key);
        await using var client = await fixture.ConnectAsync(key);
        Assert.StartsWith("local-sandbox | connected", await client.CallAsync("get_auth_status", new()), StringComparison.Ordinal);

        var revoked = await client.CallAsync("revoke_auth", new() { ["platform_id"] = "local-sandbox" });

        Assert.StartsWith("Disconnected from local-sandbox", revoked, StringComparison.Ordinal);
        Assert.StartsWith("No platform connections", await client.CallAsync("get_auth_status", new()), StringComparison.Ordinal);
        Assert.StartsWith("There was no connection", await client.CallAsync("revoke_auth", new() { ["platform_id"] = "local-sandbox" }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAuth_UnknownPlatform_AnswersTheGatewayError()
    {
        await using var client = await fixture.ConnectAsync(GatewayKey.Create());

        var error = await client.CallFailingAsync("start_auth", new() { ["platform_id"] = "no-such-platform" });

        Assert.Contains("Unknown platform 'no-such-platform'", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAuth_PlatformWithoutClientId_NamesTheSetting()
    {
        await using var client = await fixture.ConnectAsync(GatewayKey.Create());

        var error = await client.CallFailingAsync("start_auth", new() { ["platform_id"] = "aetna" });

        Assert.Contains("FHIR_GATEWAY_PLATFORM_AETNA_CLIENT_ID", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParallelCalls_TwentyKeys_NeverSeeEachOthersConnections()
    {
        var keys = Enumerable.Range(0, 20).Select(_ => GatewayKey.Create()).ToList();
        var connected = keys.Where((_, i) => i % 2 == 0).ToHashSet();
        await Task.WhenAll(connected.Select(key => fixture.ConnectKeyAsync(key)));

        var answers = await Task.WhenAll(keys.Select(async key =>
        {
            await using var client = await fixture.ConnectAsync(key);
            return (key, status: await client.CallAsync("get_auth_status", new()));
        }));

        foreach (var (key, status) in answers)
        {
            if (connected.Contains(key))
            {
                Assert.StartsWith("local-sandbox | connected", status, StringComparison.Ordinal);
                Assert.Single(status.Split('\n'));
            }
            else
            {
                Assert.StartsWith("No platform connections", status, StringComparison.Ordinal);
            }
        }
    }
}
