extern alias api;

using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using FhirGateway.Bench;
using FhirGateway.Core.Identity;
using FhirGateway.Core.Tokens;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace FhirGateway.ScenarioBench.Mcp;

/// <summary>
/// The same search (Observation?patient=pat-1, a 20-entry page) through the REST front-end and through the MCP
/// <c>search</c> tool (the SDK's client, streamable HTTP, <c>X-FHIR-Gateway-Key</c>), both on real Kestrel in
/// front of one canned upstream that checks the Bearer token; sequential calls, alternating blocks so both see
/// the same machine.
/// </summary>
internal static class McpScenario
{
    private const double TargetExtraMs = 2;
    private const int Block = 100;

    public static async Task<IReadOnlyList<Figure>> RunAsync(ScenarioOptions options)
    {
        var accessToken = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var upstream = await BearerUpstream.StartAsync(accessToken);
        var settings = new Dictionary<string, string>
        {
            ["FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_FHIR_BASE_URL"] = upstream.FhirBase,
            ["FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_TOKEN_URL"] = "http://127.0.0.1:9/token",
        };
        await using var rest = new GatewayHost<api::Program>(settings).Start();
        await using var mcp = new GatewayHost<Program>(settings).Start();

        // One gateway key connected to the upstream in both front-ends' stores (each in memory here: the figure is
        // the front-end's cost, not a store's).
        var key = GatewayKey.Create();
        await SeedAsync(rest.Services, key, accessToken);
        await SeedAsync(mcp.Services, key, accessToken);

        using var http = new HttpClient();
        var restUrl = new Uri($"{rest.Origin}/api/fhir/{BenchPlatform.Id}/Observation?patient={BearerUpstream.PatientId}&_count=20");
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(mcp.Origin + "/mcp"),
            AdditionalHeaders = new Dictionary<string, string> { [GatewayKey.HeaderName] = key },
        }));
        var arguments = new Dictionary<string, object?>
        {
            ["platform_id"] = BenchPlatform.Id,
            ["resource_type"] = "Observation",
            ["params"] = new Dictionary<string, string> { ["patient"] = BearerUpstream.PatientId },
            ["count"] = 20,
        };

        Func<Task> restCall = async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, restUrl);
            request.Headers.Add(GatewayKey.HeaderName, key);
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode || !body.Contains("\"searchset\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"REST search answered {(int)response.StatusCode}; the measured path is not the real one.");
            }
        };
        Func<Task> mcpCall = async () =>
        {
            var result = await client.CallToolAsync("search", arguments);
            var text = string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));
            if (result.IsError == true || !text.Contains("obs-0019", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"MCP search answered an error or no 20th line; the measured path is not the real one: {text}");
            }
        };

        // The protocol's floor: a tool call with no upstream (get_auth_status: one store read, one line).
        var statusArguments = new Dictionary<string, object?> { ["platform_id"] = BenchPlatform.Id };
        Func<Task> pingCall = async () =>
        {
            var result = await client.CallToolAsync("get_auth_status", statusArguments);
            if (result.IsError == true)
            {
                throw new InvalidOperationException("get_auth_status answered an error.");
            }
        };

        // The same tools/call as one raw HTTP POST, no SDK client: splits the MCP cost into server and client side.
        var rawBody = System.Text.Encoding.UTF8.GetBytes(
            """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search","arguments":{"platform_id":"local-sandbox","resource_type":"Observation","params":{"patient":"pat-1"},"count":20}}}""");
        var mcpUrl = new Uri(mcp.Origin + "/mcp");
        Func<Task> rawCall = async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, mcpUrl) { Content = new ByteArrayContent(rawBody) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Accept.ParseAdd("text/event-stream");
            request.Headers.Add(GatewayKey.HeaderName, key);
            // 2025-06-18: a request needs no _meta protocol version; the server answers it the same way.
            request.Headers.Add("MCP-Protocol-Version", "2025-06-18");
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode || !text.Contains("obs-0019", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Raw MCP POST answered {(int)response.StatusCode}: {text}");
            }
        };

        Console.WriteLine($"mcp: REST {rest.Origin}, MCP {mcp.Origin}/mcp, upstream {upstream.FhirBase}; {options.McpCalls} sequential calls each, blocks of {Block} alternating");
        var warmUp = Math.Max(options.McpCalls / 10, Block);
        await TimeAsync(restCall, warmUp);
        await TimeAsync(mcpCall, warmUp);
        await TimeAsync(pingCall, warmUp);
        await TimeAsync(rawCall, warmUp);
        var rawSamples = new List<double>();
        var restSamples = new List<double>();
        var mcpSamples = new List<double>();
        var pingSamples = new List<double>();
        while (restSamples.Count < options.McpCalls)
        {
            restSamples.AddRange(await TimeAsync(restCall, Block));
            mcpSamples.AddRange(await TimeAsync(mcpCall, Block));
            pingSamples.AddRange(await TimeAsync(pingCall, Block));
            rawSamples.AddRange(await TimeAsync(rawCall, Block));
        }

        if (upstream.Refused > 0)
        {
            throw new InvalidOperationException($"The upstream refused {upstream.Refused} calls for a wrong Bearer token.");
        }

        var (restP50, restP99) = (Stats.Percentile(restSamples, 50), Stats.Percentile(restSamples, 99));
        var (mcpP50, mcpP99) = (Stats.Percentile(mcpSamples, 50), Stats.Percentile(mcpSamples, 99));
        var pingP50 = Stats.Percentile(pingSamples, 50);
        var rawP50 = Stats.Percentile(rawSamples, 50);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  REST p50 {restP50:F3} ms p99 {restP99:F3} ms; MCP search p50 {mcpP50:F3} ms p99 {mcpP99:F3} ms; MCP get_auth_status p50 {pingP50:F3} ms; raw POST search p50 {rawP50:F3} ms"));
        return
        [
            new("mcp", "search tool, p50", Format.Ms(mcpP50, 3), $"REST search p50: {Format.Ms(restP50, 3)}",
                Format.Ratio("mcp/rest", mcpP50 / restP50) + "; " + string.Create(CultureInfo.InvariantCulture, $"extra {mcpP50 - restP50:F3} ms"),
                "≤ 2 ms extra", mcpP50 - restP50 <= TargetExtraMs),
            new("mcp", "search tool, p99", Format.Ms(mcpP99, 3), $"REST search p99: {Format.Ms(restP99, 3)}",
                Format.Ratio("mcp/rest", mcpP99 / restP99) + "; " + string.Create(CultureInfo.InvariantCulture, $"extra {mcpP99 - restP99:F3} ms")),
            new("mcp", "get_auth_status tool (MCP floor: no upstream), p50", Format.Ms(pingP50, 3), $"MCP search p50: {Format.Ms(mcpP50, 3)}",
                Format.Ratio("floor/search", pingP50 / mcpP50)),
            new("mcp", "search as a raw POST (no SDK client), p50", Format.Ms(rawP50, 3), $"REST search p50: {Format.Ms(restP50, 3)}",
                Format.Ratio("raw/rest", rawP50 / restP50) + "; " + string.Create(CultureInfo.InvariantCulture, $"extra {rawP50 - restP50:F3} ms")),
        ];
    }

    private static async Task<IReadOnlyList<double>> TimeAsync(Func<Task> call, int count)
    {
        var samples = new double[count];
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await call();
            samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        return samples;
    }

    private static async Task SeedAsync(IServiceProvider services, string key, string accessToken)
    {
        var now = DateTimeOffset.UtcNow;
        await services.GetRequiredService<ITokenStore>().SaveAsync(OwnerKey.ForGatewayKey(key), new PlatformConnection
        {
            PlatformId = BenchPlatform.Id,
            AccessToken = accessToken,
            RefreshToken = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ExpiresAt = now.AddDays(1),
            Scope = "openid fhirUser launch/patient offline_access patient/*.rs",
            Patient = BearerUpstream.PatientId,
            ConnectedAt = now,
        });
    }
}
