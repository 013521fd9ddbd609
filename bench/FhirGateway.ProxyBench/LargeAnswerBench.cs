using System.Diagnostics;
using System.Globalization;
using FhirGateway.Bench;

namespace FhirGateway.ProxyBench;

/// <summary>
/// <c>--large</c>: a ~50 MB searchset Bundle (links rewritten on the way) and a ~50 MB bulk NDJSON file (through the
/// gateway's <c>_page</c> route, as a client downloads export files) fetched directly, through a plain YARP forwarder
/// (the cost of any second hop on the same cores) and through the gateway, one at a time. The upstream and the client
/// are in this process; YARP and the gateway each in a process of its own, as deployed (<see cref="GatewayProcess"/>,
/// its session connected through the real login against <see cref="CannedUpstream"/>'s OAuth, its platform's FHIR base
/// <see cref="LargeUpstream"/>). Reports MB/s and gateway/direct, each proxy's own CPU per answer, and each proxy's peak
/// resident memory during a transfer above what it was just before, sampled every 5 ms.
/// </summary>
internal static class LargeAnswerBench
{
    private const int Rounds = 9;

    /// <summary>
    /// Rounds first, not counted, until each .NET proxy's JIT compiles no more than <see cref="WarmUp.Quiet"/> methods
    /// in a round <see cref="WarmUp.QuietRounds"/> times in a row (<see cref="WarmUp"/>'s rule), at least <see cref="WarmUpRounds"/>: the first direct fetch of
    /// a fresh process moved ~100 MB/s against ~700 after it, and after two rounds the gateway process was still
    /// compiling, a quarter of its samples in the JIT (`perf`, 2026-11-30). The JIT's events come late when this
    /// process has one core (<c>--proxy-cpus</c>): one run found two quiet rounds after three.
    /// </summary>
    private const int WarmUpRounds = 10;

    private const int MostWarmUpRounds = 40;

    /// <summary>How much of the gateway's Bundle the pre-flight reads for its rewritten links.</summary>
    private const int HeadBytes = 4096;

    /// <param name="nginx">Also through nginx (<see cref="NginxRelay"/>), the floor of a hop through a process of its own.</param>
    /// <param name="gatewaySettings">More gateway settings (<c>--gateway-setting</c>).</param>
    public static async Task<int> RunAsync(bool nginx, IReadOnlyList<string> gatewaySettings)
    {
        Console.WriteLine("Large answers: upstream and client in this process; YARP and the gateway each in a process of its own, as deployed.");
        await using var upstream = await LargeUpstream.StartAsync();
        await using var oauth = await CannedUpstream.StartAsync();
        await using var yarp = await YarpForwarder.StartProcessAsync(upstream.Origin, []);
        await using var relay = nginx ? await NginxRelay.StartProcessAsync(upstream.Origin) : null;
        await using var gateway = await GatewayProcess.StartAsync("gateway", oauth.Platform with { FhirBase = upstream.FhirBase }, otlpSink: null, gatewaySettings);
        var cookie = await GatewayLogin.ConnectAsync(gateway.Origin, GatewayProcess.PlatformId);
        var gatewayBase = GatewayProcess.FhirBase(gateway);
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        var ndjsonUrl = $"{upstream.FhirBase}/{LargeUpstream.NdjsonPath}";
        Hop[] hops =
        [
            new("direct", null, null), new("yarp", yarp, null),
            .. relay is null ? Array.Empty<Hop>() : [new Hop(NginxRelay.Name, relay, null)],
            new("gateway", gateway, cookie),
        ];
        Case[] cases =
        [
            new("Bundle", upstream.BundleBytes, new()
            {
                ["direct"] = $"{upstream.FhirBase}/{LargeUpstream.BundlePath}",
                ["yarp"] = $"{yarp.Origin}/fhir/{LargeUpstream.BundlePath}",
                [NginxRelay.Name] = $"{relay?.Origin}/fhir/{LargeUpstream.BundlePath}",
                ["gateway"] = $"{gatewayBase}/{LargeUpstream.BundlePath}",
            }),
            new("NDJSON", upstream.NdjsonBytes, new()
            {
                ["direct"] = ndjsonUrl,
                ["yarp"] = $"{yarp.Origin}/fhir/{LargeUpstream.NdjsonPath}",
                [NginxRelay.Name] = $"{relay?.Origin}/fhir/{LargeUpstream.NdjsonPath}",
                ["gateway"] = $"{gatewayBase}/_page?url={Uri.EscapeDataString(ndjsonUrl)}",
            }),
        ];

        var proxied = hops.Where(hop => hop.Proxy is not null).ToArray();

        // Each proxy's memory from here on, above what it holds now (started, session connected, nothing large yet).
        var afterLogin = proxied.ToDictionary(hop => hop.Name, hop => hop.Proxy!.WorkingSet);
        using var wholeRun = new MemorySampler([.. proxied.Select(hop => hop.Proxy!)]);

        // Pre-flight: the gateway's Bundle starts with links to itself, and both answers arrive whole.
        var head = await FetchAsync(client, cases[0].Urls["gateway"], cookie, keepHead: true);
        if (!head.Head.Contains($"\"url\":\"{gatewayBase}/Observation?", StringComparison.Ordinal) || head.Bytes < cases[0].Bytes - 1024)
        {
            Console.Error.WriteLine($"Pre-flight failed: the gateway's Bundle ({head.Bytes} bytes) does not start with rewritten links: {head.Head[..Math.Min(300, head.Head.Length)]}");
            return 1;
        }

        var jits = proxied.Where(hop => hop.Proxy!.Jit is not null).ToDictionary(hop => hop.Name, hop => hop.Proxy!.Jit!);
        var compiledBefore = jits.ToDictionary(jit => jit.Key, jit => jit.Value.Compiled);
        var last = new Dictionary<string, long>(compiledBefore);
        var warmUps = 0;
        for (var quietRounds = 0; (quietRounds < WarmUp.QuietRounds || warmUps < WarmUpRounds) && warmUps < MostWarmUpRounds; warmUps++)
        {
            foreach (var answer in cases)
            {
                foreach (var hop in hops)
                {
                    await FetchAsync(client, answer.Urls[hop.Name], hop.Cookie, keepHead: false);
                }
            }

            await Task.Delay(WarmUp.Settle);
            var compiled = jits.ToDictionary(jit => jit.Key, jit => jit.Value.Compiled);
            quietRounds = compiled.All(jit => jit.Value - last[jit.Key] <= WarmUp.Quiet) ? quietRounds + 1 : 0;
            last = compiled;
        }

        Console.WriteLine($"Warmed up in {warmUps} rounds, until each .NET proxy compiled no more methods: {string.Join(", ", jits.Keys.Select(name => $"{name} {last[name] - compiledBefore[name]:N0} methods"))}.");

        Console.WriteLine();
        var proxies = proxied.Select(hop => hop.Name).ToArray();
        var others = proxies.Where(name => name != "gateway").ToArray();
        Console.WriteLine($"| answer | MB | {string.Join(" | ", hops.Select(hop => hop.Name + " MB/s"))} | gateway/direct (target ≥ 0.8) | {string.Join(" | ", others.Select(name => name + "/direct"))} | proxy's own CPU ms per answer: {string.Join(" / ", proxies)} | proxy's peak memory above just before MB: {string.Join(" / ", proxies)} |");
        Console.WriteLine($"|---|---:|{string.Concat(hops.Select(_ => "---:|"))}---:|{string.Concat(others.Select(_ => "---:|"))}---:|---:|");
        foreach (var answer in cases)
        {
            var rates = hops.ToDictionary(hop => hop.Name, _ => new List<double>());
            var cpu = hops.ToDictionary(hop => hop.Name, _ => new List<double>());
            var peak = hops.ToDictionary(hop => hop.Name, _ => 0L);
            for (var round = 0; round < Rounds; round++)
            {
                // Every other round in reverse, so neither hop always follows the direct fetch.
                foreach (var hop in round % 2 == 0 ? hops : hops.Reverse())
                {
                    var cpuBefore = hop.Proxy?.CpuTime ?? TimeSpan.Zero;
                    var idle = hop.Proxy?.WorkingSet ?? 0;
                    using var sampler = hop.Proxy is null ? null : new MemorySampler([hop.Proxy]);
                    var run = await FetchAsync(client, answer.Urls[hop.Name], hop.Cookie, keepHead: false);
                    if (run.Status != 200 || run.Bytes < answer.Bytes - 1024)
                    {
                        Console.Error.WriteLine($"{answer.Name} {hop.Name} answered {run.Status} with {run.Bytes} of {answer.Bytes} bytes.");
                        return 1;
                    }

                    rates[hop.Name].Add(run.MegabytesPerSecond);
                    if (hop.Proxy is not null)
                    {
                        cpu[hop.Name].Add((hop.Proxy.CpuTime - cpuBefore).TotalMilliseconds);
                        peak[hop.Name] = Math.Max(peak[hop.Name], sampler!.Peak(hop.Proxy) - idle);
                    }
                }
            }

            var atTarget = rates["gateway"].Where((rate, round) => rate >= 0.8 * rates["direct"][round]).Count();

            // Each round's ratio is of fetches made next to each other, so a slow moment of the machine counts for
            // both sides of it; the median of those is the figure (one 50 MB fetch takes ~50 ms: a preempted thread
            // moves one by a third).
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {answer.Name} | {answer.Bytes / 1048576.0:F1} | {string.Join(" | ", hops.Select(hop => Stats.Median(rates[hop.Name]).ToString("F0", CultureInfo.InvariantCulture)))} | **{MedianRatio(rates["gateway"], rates["direct"]):F2}** ({atTarget} of {Rounds} rounds ≥ 0.8) | {string.Join(" | ", others.Select(name => MedianRatio(rates[name], rates["direct"]).ToString("F2", CultureInfo.InvariantCulture)))} | {string.Join(" / ", proxies.Select(name => Stats.Median(cpu[name]).ToString("F0", CultureInfo.InvariantCulture)))} | {string.Join(" / ", proxies.Select(name => (peak[name] / 1048576.0).ToString("F1", CultureInfo.InvariantCulture)))} |"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Peak resident memory over the whole run (warm-up included) above each proxy's after its start and login: {string.Join(", ", proxied.Select(hop => $"{hop.Name} +{(wholeRun.Peak(hop.Proxy!) - afterLogin[hop.Name]) / 1048576.0:F1} MB (from {afterLogin[hop.Name] / 1048576.0:F0})"))}."));
        Console.WriteLine($"{Rounds} rounds after the warm-up, alternating the order: MB/s and CPU the median of the rounds, each ratio the median of the rounds' own ratios; memory the worst round (resident set, sampled every 5 ms).");
        return 0;
    }

    private static double MedianRatio(List<double> hop, List<double> direct) =>
        Stats.Median([.. hop.Select((rate, round) => rate / direct[round])]);

    private static async Task<Fetch> FetchAsync(HttpClient client, string url, string? cookie, bool keepHead)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Accept", "application/fhir+json");
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        var started = Stopwatch.GetTimestamp();
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long total = 0;
        // The head is the answer's first HeadBytes, over as many reads as it takes: the gateway may send the Bundle's
        // opening before its rewritten links (a pre-flight once failed on a first read that ended at "link":).
        var head = new List<byte>(keepHead ? HeadBytes : 0);
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            if (keepHead && head.Count < HeadBytes)
            {
                head.AddRange(buffer.AsSpan(0, Math.Min(read, HeadBytes - head.Count)));
            }

            total += read;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        return new Fetch((int)response.StatusCode, total, total / 1048576.0 / elapsed.TotalSeconds, System.Text.Encoding.UTF8.GetString([.. head]));
    }

    private sealed record Fetch(int Status, long Bytes, double MegabytesPerSecond, string Head);

    private sealed record Hop(string Name, ProxyProcess? Proxy, string? Cookie);

    private sealed record Case(string Name, int Bytes, Dictionary<string, string> Urls);

    /// <summary>Samples proxy processes' resident memory every 5 ms until disposed.</summary>
    private sealed class MemorySampler : IDisposable
    {
        private readonly ProxyProcess[] _proxies;
        private readonly long[] _peaks;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _sampling;

        public MemorySampler(ProxyProcess[] proxies)
        {
            _proxies = proxies;
            _peaks = new long[proxies.Length];
            _sampling = Task.Run(SampleAsync);
        }

        /// <summary>The largest resident set seen so far of one of the sampled processes.</summary>
        public long Peak(ProxyProcess proxy) => Interlocked.Read(ref _peaks[Array.IndexOf(_proxies, proxy)]);

        private async Task SampleAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                for (var i = 0; i < _proxies.Length; i++)
                {
                    Interlocked.Exchange(ref _peaks[i], Math.Max(Interlocked.Read(ref _peaks[i]), _proxies[i].WorkingSet));
                }

                try
                {
                    await Task.Delay(5, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _sampling.Wait();
            _stop.Dispose();
        }
    }
}
