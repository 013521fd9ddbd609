using System.Diagnostics;
using System.Globalization;

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
    private const int Rounds = 3;

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
        Console.WriteLine("| answer | MB | direct MB/s | yarp MB/s | gateway MB/s | gateway/direct | yarp/direct | peak working set above idle MB | peak GC heap above idle MB |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, direct, viaYarp, through, bytes) in cases)
        {
            var directBest = 0.0;
            var yarpBest = 0.0;
            var gatewayBest = 0.0;
            long peakSet = 0;
            long peakHeap = 0;
            for (var round = 0; round < Rounds; round++)
            {
                directBest = Math.Max(directBest, (await FetchAsync(client, direct, null, keepHead: false)).MegabytesPerSecond);
                yarpBest = Math.Max(yarpBest, (await FetchAsync(client, viaYarp, null, keepHead: false)).MegabytesPerSecond);
                var (idleSet, idleHeap) = Idle();
                using var sampler = new MemorySampler();
                var run = await FetchAsync(client, through, session.CookieHeader, keepHead: false);
                if (run.Status != 200 || run.Bytes < bytes - 1024)
                {
                    Console.Error.WriteLine($"{name} through the gateway answered {run.Status} with {run.Bytes} of {bytes} bytes.");
                    return 1;
                }

                gatewayBest = Math.Max(gatewayBest, run.MegabytesPerSecond);
                peakSet = Math.Max(peakSet, sampler.PeakWorkingSet - idleSet);
                peakHeap = Math.Max(peakHeap, sampler.PeakHeap - idleHeap);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {bytes / 1048576.0:F1} | {directBest:F0} | {yarpBest:F0} | {gatewayBest:F0} | {gatewayBest / directBest:F2} | {yarpBest / directBest:F2} | {peakSet / 1048576.0:F1} | {peakHeap / 1048576.0:F1} |"));
        }

        Console.WriteLine();
        Console.WriteLine($"Best of {Rounds} rounds for MB/s; worst of {Rounds} for memory.");
        return 0;
    }

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
        var head = "";
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            if (keepHead && head.Length == 0)
            {
                head = System.Text.Encoding.UTF8.GetString(buffer, 0, read);
            }

            total += read;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        return new Fetch((int)response.StatusCode, total, total / 1048576.0 / elapsed.TotalSeconds, head);
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
