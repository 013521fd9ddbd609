using System.Diagnostics;

namespace FhirGateway.ProxyBench;

/// <summary>
/// What one measured run saw: CPU and allocations of the proxy's own process (zero for direct) and of this process
/// (load generator and upstream), the virtual CPUs' steal time meanwhile (<see cref="VmSteal"/>), and for an open
/// loop the share of sends that left close on the heels of the one before (<see cref="Pacer"/>) and whether its
/// slowest requests met a garbage collection (<see cref="GcOverlap"/>); how often the proxy's threads left the CPU
/// (<see cref="ContextSwitches"/>).
/// </summary>
internal sealed record LoadResult(
    long Requests, long Errors, TimeSpan Elapsed, long[] SortedLatencyTicks, long AllocatedBytes, TimeSpan CpuTime, long ProxyAllocatedBytes, TimeSpan ProxyCpuTime,
    TimeSpan Steal, double? Bunched = null, GcOverlap? Gc = null, ContextSwitches ProxySwitches = default)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;

    public double P50Ms => Percentile(0.50);

    public double P99Ms => Percentile(0.99);

    /// <summary>The slowest request: a stall shows here when too few requests wait on it to move the p99.</summary>
    public double MaxMs => SortedLatencyTicks.Length == 0 ? double.NaN : SortedLatencyTicks[^1] * 1000.0 / Stopwatch.Frequency;

    public double CpuMicrosecondsPerRequest => CpuTime.TotalMicroseconds / Math.Max(1, Requests);

    public double AllocatedBytesPerRequest => (double)AllocatedBytes / Math.Max(1, Requests);

    public double ProxyCpuMicrosecondsPerRequest => ProxyCpuTime.TotalMicroseconds / Math.Max(1, Requests);

    public double ProxyAllocatedBytesPerRequest => (double)ProxyAllocatedBytes / Math.Max(1, Requests);

    /// <summary>The proxy's threads waiting (a wake-up each), per request.</summary>
    public double ProxyWaitsPerRequest => (double)ProxySwitches.Voluntary / Math.Max(1, Requests);

    /// <summary>The proxy's threads preempted by another runnable thread, per request.</summary>
    public double ProxyPreemptionsPerRequest => (double)ProxySwitches.Involuntary / Math.Max(1, Requests);

    /// <summary>Rounds of one target measured in alternation with the others, as one result.</summary>
    public static LoadResult Merge(IReadOnlyList<LoadResult> rounds)
    {
        var latencies = rounds.SelectMany(r => r.SortedLatencyTicks).ToArray();
        Array.Sort(latencies);
        return new LoadResult(
            rounds.Sum(r => r.Requests), rounds.Sum(r => r.Errors), TimeSpan.FromTicks(rounds.Sum(r => r.Elapsed.Ticks)), latencies,
            rounds.Sum(r => r.AllocatedBytes), TimeSpan.FromTicks(rounds.Sum(r => r.CpuTime.Ticks)),
            rounds.Sum(r => r.ProxyAllocatedBytes), TimeSpan.FromTicks(rounds.Sum(r => r.ProxyCpuTime.Ticks)),
            TimeSpan.FromTicks(rounds.Sum(r => r.Steal.Ticks)),
            rounds.All(r => r.Bunched is not null) ? rounds.Sum(r => r.Bunched!.Value * r.Requests) / Math.Max(1, rounds.Sum(r => r.Requests)) : null,
            GcOverlap.Merge(rounds.Select(r => r.Gc)),
            rounds.Aggregate(default(ContextSwitches), (sum, r) => sum + r.ProxySwitches));
    }

    /// <summary>The latency at or below which a share <paramref name="p"/> of sorted, non-empty latencies fall, in ticks.</summary>
    public static long PercentileTicks(long[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private double Percentile(double p) => SortedLatencyTicks.Length == 0
        ? double.NaN
        : PercentileTicks(SortedLatencyTicks, p) * 1000.0 / Stopwatch.Frequency;
}
