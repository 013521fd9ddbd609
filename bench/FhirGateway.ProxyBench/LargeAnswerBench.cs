using System.Diagnostics;
using System.Globalization;
using FhirGateway.Bench;

namespace FhirGateway.ProxyBench;

/// <summary>
/// <c>--large</c>: a ~50 MB searchset Bundle (links rewritten on the way) and a ~50 MB bulk NDJSON file (through the
/// gateway's <c>_page</c> route, as a client downloads export files) fetched directly, through a plain YARP forwarder
/// (the cost of any second hop on the same cores) and through the gateway, one at a time. Reports MB/s and gateway/direct, and the process's peak working set and managed heap during the
/// transfer above what they were idle (upstream bytes already built), sampled every 5 ms. The client reads into one
/// reused buffer, so what grows is the gateway's.
/// </summary>
internal static class LargeAnswerBench
{
    private const int Rounds = 9;

    private static readonly string[] Hops = ["direct", "yarp", "gateway"];

    /// <summary>How much of the gateway's Bundle the pre-flight reads for its rewritten links.</summary>
    private const int HeadBytes = 4096;

    public static async Task<int> RunAsync()
    {
        Console.WriteLine("Large answers: upstream, gateway and client share this process; memory is the process's above idle.");
        await using var upstream = await LargeUpstream.StartAsync();
        await using var yarp = await YarpForwarder.StartAsync(upstream.Origin);
        await using var gateway = new GatewayHost(upstream.FhirBase);
        gateway.StartServer();
        var session = await BenchSession.SeedAsync(gateway.Services, GatewayHost.PlatformId);
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        var ndjsonUrl = $"{upstream.FhirBase}/{LargeUpstream.NdjsonPath}";
        (string Name, string Direct, string Yarp, string Gateway, int Bytes)[] cases =
        [
            ("Bundle", $"{upstream.FhirBase}/{LargeUpstream.BundlePath}", $"{yarp.FhirBase}/{LargeUpstream.BundlePath}", $"{gateway.FhirBase}/{LargeUpstream.BundlePath}", upstream.BundleBytes),
            ("NDJSON", ndjsonUrl, $"{yarp.FhirBase}/{LargeUpstream.NdjsonPath}", $"{gateway.FhirBase}/_page?url={Uri.EscapeDataString(ndjsonUrl)}", upstream.NdjsonBytes),
        ];

        // Pre-flight: the gateway's Bundle starts with links to itself, and both answers arrive whole.
        var head = await FetchAsync(client, cases[0].Gateway, session.CookieHeader, keepHead: true);
        if (!head.Head.Contains($"\"url\":\"{gateway.FhirBase}/Observation?", StringComparison.Ordinal) || head.Bytes < cases[0].Bytes - 1024)
        {
            Console.Error.WriteLine($"Pre-flight failed: the gateway's Bundle ({head.Bytes} bytes) does not start with rewritten links: {head.Head[..Math.Min(300, head.Head.Length)]}");
            return 1;
        }

        Console.WriteLine();
        Console.WriteLine("| answer | MB | direct MB/s | yarp MB/s | gateway MB/s | gateway/direct (target ≥ 0.8) | yarp/direct | process CPU ms direct / yarp / gateway | peak working set above idle MB | peak GC heap above idle MB |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, direct, viaYarp, through, bytes) in cases)
        {
            var directRates = new List<double>();
            var yarpRates = new List<double>();
            var gatewayRates = new List<double>();
            var cpu = Hops.ToDictionary(hop => hop, _ => new List<double>());
            long peakSet = 0;
            long peakHeap = 0;
            for (var round = 0; round < Rounds; round++)
            {
                // Every other round in reverse, so neither hop always follows the direct fetch.
                foreach (var hop in round % 2 == 0 ? Hops : Hops.Reverse())
                {
                    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                    switch (hop)
                    {
                        case "direct":
                            directRates.Add((await FetchAsync(client, direct, null, keepHead: false)).MegabytesPerSecond);
                            break;
                        case "yarp":
                            yarpRates.Add((await FetchAsync(client, viaYarp, null, keepHead: false)).MegabytesPerSecond);
                            break;
                        default:
                            var (idleSet, idleHeap) = Idle();
                            using (var sampler = new MemorySampler())
                            {
                                var run = await FetchAsync(client, through, session.CookieHeader, keepHead: false);
                                if (run.Status != 200 || run.Bytes < bytes - 1024)
                                {
                                    Console.Error.WriteLine($"{name} through the gateway answered {run.Status} with {run.Bytes} of {bytes} bytes.");
                                    return 1;
                                }

                                gatewayRates.Add(run.MegabytesPerSecond);
                                peakSet = Math.Max(peakSet, sampler.PeakWorkingSet - idleSet);
                                peakHeap = Math.Max(peakHeap, sampler.PeakHeap - idleHeap);
                            }

                            break;
                    }

                    cpu[hop].Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds);
                }
            }

            var atTarget = gatewayRates.Where((rate, round) => rate >= 0.8 * directRates[round]).Count();

            // Each round's ratio is of fetches made next to each other, so a slow moment of the machine counts for
            // both sides of it; the median of those is the figure (one 50 MB fetch takes ~50 ms: a preempted thread
            // moves one by a third).
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {bytes / 1048576.0:F1} | {Stats.Median(directRates):F0} | {Stats.Median(yarpRates):F0} | {Stats.Median(gatewayRates):F0} | **{MedianRatio(gatewayRates, directRates):F2}** ({atTarget} of {Rounds} rounds ≥ 0.8) | {MedianRatio(yarpRates, directRates):F2} | {Stats.Median(cpu["direct"]):F0} / {Stats.Median(cpu["yarp"]):F0} / {Stats.Median(cpu["gateway"]):F0} | {peakSet / 1048576.0:F1} | {peakHeap / 1048576.0:F1} |"));
        }

        Console.WriteLine();
        Console.WriteLine($"{Rounds} rounds, alternating the order: MB/s and CPU the median of the rounds, each ratio the median of the rounds' own ratios; memory the worst round.");
        Console.WriteLine("CPU is the whole process's (client, upstream and the hop) during one fetch: a hop's cost is its figure less direct's.");
        return 0;
    }

    private static double MedianRatio(List<double> hop, List<double> direct) =>
        Stats.Median([.. hop.Select((rate, round) => rate / direct[round])]);

    private static (long WorkingSet, long Heap) Idle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return (Environment.WorkingSet, GC.GetTotalMemory(forceFullCollection: false));
    }

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

    /// <summary>Samples the working set and the managed heap every 5 ms until disposed.</summary>
    private sealed class MemorySampler : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _sampling;
        private long _peakWorkingSet;
        private long _peakHeap;

        public MemorySampler() => _sampling = Task.Run(SampleAsync);

        public long PeakWorkingSet => Interlocked.Read(ref _peakWorkingSet);

        public long PeakHeap => Interlocked.Read(ref _peakHeap);

        private async Task SampleAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                Interlocked.Exchange(ref _peakWorkingSet, Math.Max(PeakWorkingSet, Environment.WorkingSet));
                Interlocked.Exchange(ref _peakHeap, Math.Max(PeakHeap, GC.GetTotalMemory(forceFullCollection: false)));
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
