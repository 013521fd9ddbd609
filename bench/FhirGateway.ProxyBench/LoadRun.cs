using System.Diagnostics;

namespace FhirGateway.ProxyBench;

/// <summary>
/// Closed-loop load: <c>connections</c> keep-alive connections, each sending its next request as soon as the last
/// answer is read, for a warm-up and then a measured period. With a rate, each connection instead sends on a fixed
/// schedule (open loop) so that latency is measured below saturation. A latency counts from the send, not from when
/// the request was due: timed from the due moment, <see cref="Task.Delay(TimeSpan)"/>'s ~1 ms lateness put direct's
/// p50 at half load at 1.00 ms instead of 0.25 (2026-11-29). A stall that holds back the requests behind it shows
/// instead in the slowest request (<see cref="LoadResult.MaxMs"/>) and in a rate that is not kept up.
/// </summary>
internal static class LoadRun
{
    public static async Task<LoadResult> RunAsync(
        Uri url, string? cookie, int connections, TimeSpan warmup, TimeSpan duration, double? rate = null, ProxyProcess? proxy = null)
    {
        var open = await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => RawHttpConnection.OpenAsync(url, cookie)));
        try
        {
            var interval = rate is { } perSecond ? TimeSpan.FromSeconds(connections / perSecond) : (TimeSpan?)null;
            await Task.WhenAll(open.Select(c => LoopAsync(c, warmup, interval, record: false)));

            GC.Collect();
            GC.WaitForPendingFinalizers();
            var proxyAllocatedBefore = proxy is null ? 0 : await proxy.AllocatedBytesAsync();
            var proxyCpuBefore = proxy?.CpuTime ?? TimeSpan.Zero;
            var process = Process.GetCurrentProcess();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var cpuBefore = process.TotalProcessorTime;
            var stealBefore = VmSteal.Read();
            var started = Stopwatch.GetTimestamp();
            var perConnection = await Task.WhenAll(open.Select(c => LoopAsync(c, duration, interval, record: true)));
            var elapsed = Stopwatch.GetElapsedTime(started);
            var steal = VmSteal.Read() - stealBefore;
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            var proxyCpu = (proxy?.CpuTime ?? TimeSpan.Zero) - proxyCpuBefore;

            // A full collection retires every thread's allocation context, so the total is exact at both ends.
            GC.Collect();
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            var proxyAllocated = proxy is null ? 0 : await proxy.AllocatedBytesAsync() - proxyAllocatedBefore;

            var latencies = perConnection.SelectMany(r => r.Latencies).ToArray();
            Array.Sort(latencies);
            return new LoadResult(latencies.Length, perConnection.Sum(r => r.Errors), elapsed, latencies, allocated, cpu, proxyAllocated, proxyCpu, steal);
        }
        finally
        {
            foreach (var connection in open)
            {
                connection.Dispose();
            }
        }
    }

    private static async Task<(List<long> Latencies, long Errors)> LoopAsync(RawHttpConnection connection, TimeSpan duration, TimeSpan? interval, bool record)
    {
        // Start the paced connections spread over one interval, not all at once.
        var next = Stopwatch.GetTimestamp() + (interval is { } spread ? (long)(Random.Shared.NextDouble() * spread.TotalSeconds * Stopwatch.Frequency) : 0);
        var step = interval is { } i ? (long)(i.TotalSeconds * Stopwatch.Frequency) : 0;
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var latencies = new List<long>(record ? 1 << 16 : 0);
        long errors = 0;
        while (true)
        {
            if (step > 0)
            {
                var wait = next - Stopwatch.GetTimestamp();
                if (wait > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
                }

                next += step;
            }

            var sent = Stopwatch.GetTimestamp();
            if (sent >= end)
            {
                return (latencies, errors);
            }

            var status = await connection.SendAsync(CancellationToken.None);
            if (record)
            {
                latencies.Add(Stopwatch.GetTimestamp() - sent);
                errors += status == 200 ? 0 : 1;
            }
        }
    }
}
