using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using FhirGateway.Core.Identity;
using FhirGateway.Testing;
using Xunit.Abstractions;

namespace FhirGateway.Mcp.Tests.Fuzz;

/// <summary>
/// A seeded, bounded fuzz run of malformed MCP requests against the real MCP server (and, behind it, the real
/// sandbox): every answer must be a tool error the agent can read, a JSON-RPC error or a 4xx; never a 5xx, a hang,
/// the SDK's masked "An error occurred invoking" for input a tool should have checked, or a token.
/// </summary>
[Collection(McpFuzzGroup.Name)]
public sealed class McpFuzzTests(McpFuzzFixture fixture, ITestOutputHelper output) : IClassFixture<McpFuzzFixture>
{
    private const int DefaultSeed = 20261128;
    private const int DefaultRequests = 3_000;
    private const int Parallelism = 8;

    /// <summary>
    /// A leak of what the run sends (more than this, asserted) would exceed it; between two identical passes the heap's
    /// own variation (shared array pool buffers on the large object heap) measured about 20 MB.
    /// </summary>
    private const long MemoryBound = 48L * 1024 * 1024;

    private static readonly TimeSpan PerRequest = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task MalformedToolCalls_Thousands_ReadableErrorsNoServerErrorAndMemoryBackToBaseline()
    {
        var seed = FuzzRun.Seed(DefaultSeed);
        var count = FuzzRun.Requests(DefaultRequests);
        var tools = await ToolsAsync();
        using var http = new HttpClient { BaseAddress = fixture.Mcp.Endpoint, Timeout = Timeout.InfiniteTimeSpan };

        // Warm up with one pass of the first calls (all of them in CI), then take the baseline: JIT, caches and the
        // shared array pools (which keep large rented buffers on the large object heap until a minute without use)
        // reach their steady state. The measured pass sends the same again, and more: whatever it holds afterwards, it
        // kept. Calls are generated as they are sent (the seed repeats them), so the test itself holds none.
        await RunAsync(http, Calls(seed, tools, Math.Min(count, DefaultRequests)), new Tally());
        var baseline = ManagedMemory.AfterFullCollection();
        var baselineGenerations = ManagedMemory.Generations();

        var tally = new Tally();
        var clock = Stopwatch.StartNew();
        await RunAsync(http, Calls(seed, tools, count), tally);
        var elapsed = clock.Elapsed;
        var after = await ManagedMemory.SettledAsync(baseline, MemoryBound);
        output.WriteLine($"baseline: {baselineGenerations}; after: {ManagedMemory.Generations()}");

        foreach (var (key, n) in tally.Outcomes.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{key}: {n}");
        }

        var sent = tally.Sent;
        output.WriteLine($"{count} requests ({ManagedMemory.Megabytes(sent)} sent) to {tools.Count} tools in {elapsed.TotalSeconds:F1} s (seed {seed})");
        output.WriteLine($"managed heap: baseline {ManagedMemory.Megabytes(baseline)}, after {ManagedMemory.Megabytes(after)} ({ManagedMemory.Megabytes(after - baseline)} more; bound {ManagedMemory.Megabytes(MemoryBound)})");

        Assert.True(tally.Failures.IsEmpty, $"{tally.Failures.Count} bad answers, e.g.:\n{string.Join('\n', tally.Failures.Take(40))}");
        Assert.Empty(tools.Select(t => t.Name).Except(tally.Outcomes.Keys.Select(k => k.Split(' ')[0])));
        Assert.True(sent > MemoryBound, $"the run sent only {ManagedMemory.Megabytes(sent)}: a leak of every request would not trip the memory bound");
        Assert.True(after - baseline < MemoryBound, $"managed heap grew {ManagedMemory.Megabytes(after - baseline)} over the run");
        await using var client = await fixture.ClientAsync(); // still serving
        Assert.Contains("local-sandbox", await client.CallAsync("get_auth_status", new()), StringComparison.Ordinal);
    }

    private static IEnumerable<FuzzCall> Calls(int seed, IReadOnlyList<(string Name, JsonElement Schema)> tools, int count)
    {
        var generator = new MalformedToolCalls(seed, tools);
        for (var i = 0; i < count; i++)
        {
            yield return generator.Next();
        }
    }

    private async Task<List<(string Name, JsonElement Schema)>> ToolsAsync()
    {
        await using var client = await fixture.ClientAsync();
        var tools = await client.ListToolsAsync();
        return [.. tools.Select(t => (t.Name, t.ProtocolTool.InputSchema.Clone())).OrderBy(t => t.Name, StringComparer.Ordinal)];
    }

    private Task RunAsync(HttpClient http, IEnumerable<FuzzCall> calls, Tally tally) =>
        Parallel.ForEachAsync(calls, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (call, _) =>
        {
            using var timeout = new CancellationTokenSource(PerRequest);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, (Uri?)null) { Content = new ByteArrayContent(call.Body) };
                request.Content.Headers.TryAddWithoutValidation("Content-Type", call.ContentType);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
                request.Headers.Add(GatewayKey.HeaderName, fixture.Key);
                using var response = await http.SendAsync(request, timeout.Token);
                var body = await response.Content.ReadAsStringAsync(timeout.Token);
                tally.Add(call, Classify((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, call.Target));
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                tally.Add(call, ("hang", $"no answer within {PerRequest.TotalSeconds} s"));
            }
            catch (HttpRequestException e)
            {
                tally.Add(call, ("connection failed", e.Message));
            }
        });

    /// <summary>The outcome's name, and what is wrong with it (null when nothing).</summary>
    private static (string Outcome, string? Problem) Classify(int status, string? mediaType, string body, string tool)
    {
        var code = status.ToString(CultureInfo.InvariantCulture);
        if (status >= 500)
        {
            return ($"http {code}", "server error: " + Short(body));
        }

        if (Jwt.IsIn(body))
        {
            return ("token", "a JWT in the answer");
        }

        if (status >= 400 || status == 202)
        {
            return ($"http {code}", null);
        }

        var message = mediaType == "text/event-stream" ? LastMessage(body) : body;
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(message ?? "");
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return ($"http {code} unreadable", $"not a JSON-RPC answer ({mediaType}): {Short(body)}");
        }

        if (root.TryGetProperty("error", out var error))
        {
            var number = error.TryGetProperty("code", out var c) ? c.GetRawText() : "?";
            var text = error.TryGetProperty("message", out var m) ? m.GetString() : null;
            return ($"jsonrpc error {number}", string.IsNullOrWhiteSpace(text) ? "a JSON-RPC error without a message" : null);
        }

        if (!root.TryGetProperty("result", out var result))
        {
            return ("no result", $"neither result nor error: {Short(message!)}");
        }

        var toolText = result.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array
            ? string.Join("\n", content.EnumerateArray().Where(b => b.TryGetProperty("text", out _)).Select(b => b.GetProperty("text").GetString()))
            : "";
        if (!(result.TryGetProperty("isError", out var isError) && isError.ValueKind == JsonValueKind.True))
        {
            return ("tool answer", null);
        }

        if (string.IsNullOrWhiteSpace(toolText))
        {
            return ("tool error", "a tool error without text");
        }

        // The SDK's mask for an exception that is not an McpException: the tool did not check its input.
        return toolText.Trim() == $"An error occurred invoking '{tool}'."
            ? ("tool error masked", "masked: the tool threw something other than McpException")
            : ("tool error", null);
    }

    /// <summary>The last JSON-RPC message of a streamable HTTP answer (SSE): the response after any progress notifications.</summary>
    private static string? LastMessage(string sse) =>
        sse.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l[5..].Trim()).LastOrDefault();

    private static string Short(string text) => text.Length > 300 ? text[..300] : text;

    private sealed class Tally
    {
        private long _sent;

        /// <summary>Bytes of JSON-RPC posted.</summary>
        public long Sent => Interlocked.Read(ref _sent);

        public ConcurrentDictionary<string, int> Outcomes { get; } = new(StringComparer.Ordinal);

        public ConcurrentQueue<string> Failures { get; } = new();

        public void Add(FuzzCall call, (string Outcome, string? Problem) answer)
        {
            Interlocked.Add(ref _sent, call.Body.Length);
            Outcomes.AddOrUpdate($"{call.Target} {answer.Outcome}", 1, (_, n) => n + 1);
            if (answer.Problem is { } problem)
            {
                Failures.Enqueue($"{problem} <- {call}");
            }
        }
    }
}
