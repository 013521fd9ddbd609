using System.Diagnostics;
using System.Net;
using FhirGateway.Core.Identity;
using FhirGateway.Testing;
using ModelContextProtocol.Client;
using Xunit.Abstractions;

namespace FhirGateway.Mcp.Tests.Faults;

/// <summary>The MCP server's token store (a real redis-server) killed and restarted under a connected gateway key.</summary>
public sealed class McpRedisOutageTests(McpRedisOutageFixture fixture, ITestOutputHelper output) : IClassFixture<McpRedisOutageFixture>
{
    /// <summary>Issue 7: a Redis outage answers "token store unavailable" within 2 s (the store's command timeout is 1 s).</summary>
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(2);

    /// <summary>Issue 7: everything works again within 5 s of Redis coming back.</summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(5);

    private static readonly Dictionary<string, object?> ReadPatient = new()
    {
        ["platform_id"] = "local-sandbox", ["resource_type"] = "Patient", ["id"] = SandboxServers.PatientId,
    };

    [Fact]
    public async Task RedisKilledThenRestarted_ToolsSayTokenStoreUnavailableWithin2s_ThenTheSameKeyWorksWithin5s()
    {
        var key = GatewayKey.Create();
        await fixture.ConnectKeyAsync(key);
        await using var client = await fixture.ConnectAsync(key);
        using var http = new HttpClient { BaseAddress = fixture.Mcp.Endpoint, Timeout = TimeSpan.FromSeconds(60) };
        Assert.Contains(SandboxServers.PatientId, await client.CallAsync("read", ReadPatient), StringComparison.Ordinal);

        await fixture.Redis.StopAsync();
        try
        {
            foreach (var (tool, arguments) in new[] { ("read", ReadPatient), ("get_auth_status", new()), ("read", ReadPatient) })
            {
                var started = Stopwatch.StartNew();
                var result = await client.CallToolAsync(tool, arguments);
                var answeredIn = started.Elapsed;
                var text = McpClientExtensions.Text(result);
                output.WriteLine($"{tool} with Redis down: error={result.IsError} in {answeredIn.TotalMilliseconds:F0} ms: {text}");
                Assert.True(result.IsError == true, $"{tool} did not answer an error: {text}");
                // The gateway's own message, not the SDK's generic "An error occurred invoking ..." mask.
                Assert.Contains("Token store unavailable", text, StringComparison.Ordinal);
                Assert.True(answeredIn < AnswerBound, $"{tool} answered after {answeredIn}");
            }

            var healthStarted = Stopwatch.StartNew();
            using var health = await http.GetAsync(new Uri("/health", UriKind.Relative));
            output.WriteLine($"MCP /health with Redis down: {(int)health.StatusCode} in {healthStarted.Elapsed.TotalMilliseconds:F0} ms");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.True(healthStarted.Elapsed < AnswerBound, $"/health answered after {healthStarted.Elapsed}");
        }
        finally
        {
            await fixture.Redis.RestartAsync();
        }

        // Measured from redis-server's "Ready to accept connections"; asked well past the bound so a slow recovery shows its time.
        var back = Stopwatch.StartNew();
        var readRecovered = await Poll.UntilAsync(async () => (await client.CallToolAsync("read", ReadPatient)).IsError != true, TimeSpan.FromSeconds(20));
        var readIn = back.Elapsed;
        var healthRecovered = await Poll.UntilAsync(async () =>
        {
            using var health = await http.GetAsync(new Uri("/health", UriKind.Relative));
            return health.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(20));
        var healthIn = back.Elapsed;
        output.WriteLine($"after restart: read with the key connected before the outage worked after {readIn.TotalMilliseconds:F0} ms, MCP /health 200 after {healthIn.TotalMilliseconds:F0} ms");
        Assert.True(readRecovered, "the key's connection made before the outage never worked again: lost, or Redis never reconnected");
        Assert.True(healthRecovered, "MCP /health never became healthy again");
        Assert.True(readIn < RecoveryBound, $"read worked only {readIn} after Redis came back");
        Assert.True(healthIn < RecoveryBound, $"/health was healthy only {healthIn} after Redis came back");
        Assert.StartsWith("local-sandbox | connected", await client.CallAsync("get_auth_status", new()), StringComparison.Ordinal);
    }
}
