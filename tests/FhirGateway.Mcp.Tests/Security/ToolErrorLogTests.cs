using FhirGateway.Core.Identity;
using FhirGateway.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FhirGateway.Mcp.Tests.Security;

/// <summary>
/// A tool error's text often echoes what the agent sent (an id, a search value) or what a platform said: the agent
/// reads it, the server's logs never hold it.
/// </summary>
[Collection(McpGatewayGroup.Name)]
public sealed class ToolErrorLogTests(McpFixture fixture)
{
    private const string Marker = "zq7marker";

    [Fact]
    public async Task FailingToolCalls_ErrorTextEchoesTheInput_LogsDoNot()
    {
        var logs = new CapturedLogs();
        await using var server = new McpServer(fixture.Sandbox, fixture.RedisConnectionString, fixture.Api.BaseAddress, FreePort.Next(), configure: web =>
            web.ConfigureLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace).AddFilter(null, LogLevel.Trace)));
        server.StartServer();
        var key = GatewayKey.Create();
        await fixture.ConnectKeyAsync(key);
        await using var client = await GatewayKeyLogin.ClientAsync(server.Endpoint, key);

        string[] answers =
        [
            // Refused by the tool: not a FHIR resource type.
            await client.CallFailingAsync("search", new() { ["platform_id"] = "local-sandbox", ["resource_type"] = "Patient" + Marker }),
            // Refused by the argument check: no such argument.
            await client.CallFailingAsync("read", new() { ["platform_id"] = "local-sandbox", ["resource_type"] = "Patient", ["id"] = "x", [Marker] = 1 }),
            // Refused by the platform: an unknown platform id is echoed back.
            await client.CallFailingAsync("read", new() { ["platform_id"] = Marker, ["resource_type"] = "Patient", ["id"] = "x" }),
        ];

        Assert.All(answers, text => Assert.Contains(Marker, text, StringComparison.Ordinal));
        // The audit trail names the platform and type a call asked for, masked and capped (GatewayAudit.Field), by
        // design; every other category must not hold the text. Captured at Trace, the most the server can be set to.
        var logged = logs.Entries.Where(entry => entry.Category != "FhirGateway.Audit").ToList();
        Assert.Contains(logged, entry => entry.Category.StartsWith("ModelContextProtocol", StringComparison.Ordinal));
        Assert.DoesNotContain(logged, entry => entry.Text.Contains(Marker, StringComparison.Ordinal));
        Assert.DoesNotContain(logged, entry => entry.Level >= LogLevel.Error);
    }
}
