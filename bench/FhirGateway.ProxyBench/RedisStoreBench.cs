using System.Globalization;

namespace FhirGateway.ProxyBench;

/// <summary>
/// <c>--store redis</c>: the gateway's read through the Redis token store, with the decrypted-connection cache on
/// (<c>FHIR_GATEWAY_TOKEN_CACHE_SECONDS</c>) and off, printing requests per second and Redis commands per proxied
/// request from <c>INFO commandstats</c> deltas; with <c>--sessions N</c> it then seeds N more sessions (one ~1 KB
/// token each, through the real store), prints <c>INFO memory</c> bytes per session, and measures again.
/// </summary>
internal static class RedisStoreBench
{
    private const int CacheSeconds = 5;

    public static async Task<int> RunAsync(BenchOptions options)
    {
        await using var redis = await RedisProcess.StartOrUseAsync(options.Redis);
        Console.WriteLine($"Token store: Redis at {redis.Endpoint}; gateway read only, {options.Connections.Max()} connections (one session each), {options.Duration.TotalSeconds} s per run.");
        await using var upstream = await CannedUpstream.StartAsync();
        var rows = new List<string>();
        var errors = 0L;
        foreach (var extra in options.Sessions > 0 ? new[] { 0, options.Sessions } : [0])
        {
            if (extra > 0)
            {
                await SeedAsync(redis, upstream, options, extra);
            }

            foreach (var cacheSeconds in new[] { CacheSeconds, 0 })
            {
                var (row, failed) = await MeasureAsync(redis, upstream, options, cacheSeconds, extra);
                rows.Add(row);
                errors += failed;
            }
        }

        Console.WriteLine();
        Console.WriteLine("| extra sessions | token cache | req/s | p50 ms | p99 ms | Redis round trips / request | all Redis calls / request (incl. inside scripts) |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|");
        rows.ForEach(Console.WriteLine);
        return errors > 0 ? 1 : 0;
    }

    private static async Task<(string Row, long Errors)> MeasureAsync(
        RedisProcess redis, CannedUpstream upstream, BenchOptions options, int cacheSeconds, int extraSessions)
    {
        await using var gateway = new GatewayHost(upstream.FhirBase, Settings(redis, cacheSeconds));
        gateway.StartServer();
        // One session per connection: requests of one owner share a pending store read in the refresher, which
        // would hide the per-request cost; here each request is its own owner's, as with many users.
        var connections = options.Connections.Max();
        var sessions = new BenchSession[connections];
        for (var i = 0; i < connections; i++)
        {
            sessions[i] = await BenchSession.SeedAsync(gateway.Services, GatewayHost.PlatformId);
        }

        var url = new BenchTarget("gateway", gateway.FhirBase, null, null).Url(BenchTarget.ReadPath);
        await RunAllAsync(url, sessions, options.Warmup);

        var before = await CommandStats.ReadAsync(redis.Server);
        var result = await RunAllAsync(url, sessions, options.Duration);
        var calls = (await CommandStats.ReadAsync(redis.Server)).Since(before);

        var perRequest = (double)calls.RoundTrips / Math.Max(1, result.Requests);
        var allPerRequest = (double)calls.Total / Math.Max(1, result.Requests);
        var cache = cacheSeconds > 0 ? $"{cacheSeconds} s" : "off";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  cache {cache,-4} +{extraSessions} sessions: {result.RequestsPerSecond:F0} req/s, {result.Requests} requests, errors {result.Errors}; Redis: {calls.Breakdown}"));
        var row = string.Create(CultureInfo.InvariantCulture,
            $"| {extraSessions} | {cache} | {result.RequestsPerSecond:F0} | {result.P50Ms:F2} | {result.P99Ms:F2} | {perRequest:F4} | {allPerRequest:F4} |");
        return (row, result.Errors);
    }

    /// <summary>One keep-alive connection per session, all at once, as one result.</summary>
    private static async Task<LoadResult> RunAllAsync(Uri url, BenchSession[] sessions, TimeSpan duration)
    {
        var results = await Task.WhenAll(sessions.Select(s => LoadRun.RunAsync(url, BenchTarget.CookieLine(s.CookieHeader), 1, TimeSpan.Zero, duration)));
        long[] latencies = [.. results.SelectMany(r => r.SortedLatencyTicks)];
        Array.Sort(latencies);
        return new LoadResult(
            results.Sum(r => r.Requests), results.Sum(r => r.Errors), results.Max(r => r.Elapsed), latencies,
            results.Sum(r => r.AllocatedBytes), results.Max(r => r.CpuTime), 0, TimeSpan.Zero, results.Max(r => r.Steal));
    }

    /// <summary>Seeds through a gateway's own store, so each entry is a real sealed one under real names.</summary>
    private static async Task SeedAsync(RedisProcess redis, CannedUpstream upstream, BenchOptions options, int count)
    {
        await using var gateway = new GatewayHost(upstream.FhirBase, Settings(redis, cacheSeconds: 0));
        gateway.StartServer();
        var keysBefore = await redis.Server.DatabaseSizeAsync();
        var memoryBefore = await redis.UsedMemoryAsync();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();

        // Pipelined: many saves in flight on the one multiplexer connection.
        const int InFlight = 256;
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, InFlight).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= count)
            {
                await BenchSession.SeedAsync(gateway.Services, GatewayHost.PlatformId);
            }
        })));

        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        var keys = await redis.Server.DatabaseSizeAsync() - keysBefore;
        var bytes = await redis.UsedMemoryAsync() - memoryBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Seeded {count} sessions ({keys} new keys) in {elapsed.TotalSeconds:F1} s: used_memory +{bytes} bytes = {(double)bytes / count:F0} bytes per session."));
    }

    private static Dictionary<string, string?> Settings(RedisProcess redis, int cacheSeconds) => new()
    {
        ["ConnectionStrings:redis"] = redis.Endpoint,
        ["FHIR_GATEWAY_TOKEN_CACHE_SECONDS"] = cacheSeconds.ToString(CultureInfo.InvariantCulture),
    };
}
