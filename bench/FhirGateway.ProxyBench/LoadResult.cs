using System.Diagnostics;

namespace FhirGateway.ProxyBench;

/// <summary>What one measured run saw. CPU and allocations are the whole process's (load generator, upstream and
/// proxies share it), so a proxy's own cost is its figure minus the direct run's.</summary>
internal sealed record LoadResult(long Requests, long Errors, TimeSpan Elapsed, long[] SortedLatencyTicks, long AllocatedBytes, TimeSpan CpuTime)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;

    public double P50Ms => Percentile(0.50);

    public double P99Ms => Percentile(0.99);

    public double CpuMicrosecondsPerRequest => CpuTime.TotalMicroseconds / Math.Max(1, Requests);

    public double AllocatedBytesPerRequest => (double)AllocatedBytes / Math.Max(1, Requests);

    /// <summary>Rounds of one target measured in alternation with the others, as one result.</summary>
    public static LoadResult Merge(IReadOnlyList<LoadResult> rounds)
    {
        var latencies = rounds.SelectMany(r => r.SortedLatencyTicks).ToArray();
        Array.Sort(latencies);
        return new LoadResult(
            rounds.Sum(r => r.Requests), rounds.Sum(r => r.Errors), TimeSpan.FromTicks(rounds.Sum(r => r.Elapsed.Ticks)), latencies,
            rounds.Sum(r => r.AllocatedBytes), TimeSpan.FromTicks(rounds.Sum(r => r.CpuTime.Ticks)));
    }

    private double Percentile(double p) => SortedLatencyTicks.Length == 0
        ? double.NaN
        : SortedLatencyTicks[Math.Min(SortedLatencyTicks.Length - 1, (int)(p * SortedLatencyTicks.Length))] * 1000.0 / Stopwatch.Frequency;
}
