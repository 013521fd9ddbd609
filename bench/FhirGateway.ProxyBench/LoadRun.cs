using System.Diagnostics;

namespace FhirGateway.ProxyBench;

/// <summary>
/// Closed-loop load: <c>connections</c> keep-alive connections, each sending its next request as soon as the last
/// answer is read, for a warm-up and then a measured period. With a rate, the requests are instead sent on an even
/// schedule (open loop, <see cref="Pacer"/>) so that latency is measured below saturation. A latency counts from the
/// send, not from when the request was due; a stall that holds back the requests behind it shows instead in the
/// slowest request (<see cref="LoadResult.MaxMs"/>) and in a rate that is not kept up.
/// </summary>
internal static class LoadRun
{
    public static async Task<LoadResult> RunAsync(
        Uri url, string headers, int connections, TimeSpan warmup, TimeSpan duration, double? rate = null, ProxyProcess? proxy = null, GcMeter? self = null)
    {
        var open = await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => RawHttpConnection.OpenAsync(url, headers)));
        try
        {
            await PhaseAsync(open, warmup, rate, record: false);

            GC.Collect();
            GC.WaitForPendingFinalizers();
            var proxyAllocatedBefore = proxy is null ? 0 : await proxy.AllocatedBytesAsync();
            var proxyCpuBefore = proxy?.CpuTime ?? TimeSpan.Zero;
            var proxySwitchesBefore = proxy?.ThreadSwitches;
            var process = Process.GetCurrentProcess();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var cpuBefore = process.TotalProcessorTime;
            var stealBefore = VmSteal.Read();
            var started = Stopwatch.GetTimestamp();
            var (perConnection, requests, bunched) = await PhaseAsync(open, duration, rate, record: true);
            var ended = Stopwatch.GetTimestamp();
            var elapsed = Stopwatch.GetElapsedTime(started, ended);
            var steal = VmSteal.Read() - stealBefore;
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            var proxyCpu = (proxy?.CpuTime ?? TimeSpan.Zero) - proxyCpuBefore;
            var proxySwitches = proxy is null || proxySwitchesBefore is null ? default : ContextSwitches.Between(proxySwitchesBefore, proxy.ThreadSwitches);

            // A full collection retires every thread's allocation context, so the total is exact at both ends.
            GC.Collect();
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            var proxyAllocated = proxy is null ? 0 : await proxy.AllocatedBytesAsync() - proxyAllocatedBefore;
            var latencies = perConnection.SelectMany(r => r.Latencies).ToArray();
            Array.Sort(latencies);
            GcOverlap? gc = null;
            if (requests is not null && self is not null)
            {
                if (proxy is null)
                {
                    await GcMeter.SettleAsync(); // the proxy's settling waited for this process's events too
                }

                var p99 = latencies.Length == 0 ? 0 : LoadResult.PercentileTicks(latencies, 0.99);
                gc = GcOverlap.Measure(requests, p99, proxy?.GcPausesBetween(started, ended) ?? [], self.PausesBetween(started, ended), elapsed);
            }

            return new LoadResult(latencies.Length, perConnection.Sum(r => r.Errors), elapsed, latencies, allocated, cpu, proxyAllocated, proxyCpu, steal, bunched, gc, proxySwitches);
        }
        finally
        {
            foreach (var connection in open)
            {
                connection.Dispose();
            }
        }
    }

    /// <summary>
    /// One period of load on every connection; for an open loop also each request's send time and latency, and the
    /// share of sends that left less than a quarter of the schedule's interval after the one before (an even schedule
    /// keeps it near zero).
    /// </summary>
    private static async Task<((List<long> Latencies, long Errors)[] PerConnection, (long Sent, long Latency)[]? Requests, double? Bunched)> PhaseAsync(
        RawHttpConnection[] connections, TimeSpan duration, double? rate, bool record)
    {
        if (rate is { } perSecond)
        {
            // The pacer and its readers block on their own threads, not the pool's.
            var paced = await Task.Factory.StartNew(
                () => Pacer.Run(connections, perSecond, duration, record), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            return (paced.PerConnection, paced.Requests, paced.Bunched);
        }

        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        return (await Task.WhenAll(connections.Select(c => LoopAsync(c, end, record))), null, null);
    }

    private static async Task<(List<long> Latencies, long Errors)> LoopAsync(RawHttpConnection connection, long end, bool record)
    {
        var latencies = new List<long>(record ? 1 << 16 : 0);
        long errors = 0;
        while (true)
        {
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
