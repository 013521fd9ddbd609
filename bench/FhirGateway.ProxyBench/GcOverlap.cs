using System.Diagnostics;

namespace FhirGateway.ProxyBench;

/// <summary>
/// Whether an open-loop run's slowest requests met a garbage collection: of the slowest 1 % (at or above its slice's
/// p99), how many were in flight while the proxy's collector had its threads stopped, and how many while this
/// process's had (the load generator and upstream: its pause stops the pacer and the readers too). Beside each, the
/// same share of all requests: what chance alone gives. A slow share far above chance says the collector is where the
/// tail comes from; one near it says the tail is something else (the scheduler, the other process).
/// </summary>
internal sealed record GcOverlap(
    long Slow, long SlowInProxyPause, long SlowInBenchPause, long All, long AllInProxyPause, long AllInBenchPause,
    int ProxyPauses, GcPause ProxyLongestPause, int BenchPauses, GcPause BenchLongestPause, TimeSpan Elapsed)
{
    public double SlowInProxyPauseShare => (double)SlowInProxyPause / Math.Max(1, Slow);

    public double SlowInBenchPauseShare => (double)SlowInBenchPause / Math.Max(1, Slow);

    public double AllInProxyPauseShare => (double)AllInProxyPause / Math.Max(1, All);

    public double AllInBenchPauseShare => (double)AllInBenchPause / Math.Max(1, All);

    public double ProxyPausesPerSecond => ProxyPauses / Elapsed.TotalSeconds;

    public double BenchPausesPerSecond => BenchPauses / Elapsed.TotalSeconds;

    public double ProxyLongestPauseMs => Milliseconds(ProxyLongestPause.Length);

    /// <summary>How much of the proxy's longest pause went to stopping its threads (the rest is the collection).</summary>
    public double ProxyLongestSuspendingMs => Milliseconds(ProxyLongestPause.Suspending);

    /// <summary>The generation the proxy's longest pause collected (-1 when unknown).</summary>
    public int ProxyLongestGeneration => ProxyLongestPause.Generation;

    public double BenchLongestPauseMs => Milliseconds(BenchLongestPause.Length);

    /// <summary>
    /// Lays each request (in order of sending) beside the pauses of the proxy and of this process; a request of
    /// <paramref name="slowFrom"/> ticks or more (the slice's p99) is one of the slowest.
    /// </summary>
    public static GcOverlap Measure(
        (long Sent, long Latency)[] requests, long slowFrom, GcPause[] proxyPauses, GcPause[] benchPauses, TimeSpan elapsed)
    {
        long slow = 0, slowProxy = 0, slowBench = 0, allProxy = 0, allBench = 0;
        foreach (var (sent, latency) in requests)
        {
            var inProxy = Overlaps(proxyPauses, sent, sent + latency);
            var inBench = Overlaps(benchPauses, sent, sent + latency);
            allProxy += inProxy ? 1 : 0;
            allBench += inBench ? 1 : 0;
            if (latency >= slowFrom)
            {
                slow++;
                slowProxy += inProxy ? 1 : 0;
                slowBench += inBench ? 1 : 0;
            }
        }

        return new GcOverlap(
            slow, slowProxy, slowBench, requests.Length, allProxy, allBench,
            proxyPauses.Length, Longest(proxyPauses), benchPauses.Length, Longest(benchPauses), elapsed);
    }

    /// <summary>Slices of one target, as one run: counts summed, the longest pause kept.</summary>
    public static GcOverlap? Merge(IEnumerable<GcOverlap?> slices)
    {
        var all = slices.ToList();
        return all.Count == 0 || all.Any(s => s is null) ? null : all.Aggregate((a, b) => new GcOverlap(
            a!.Slow + b!.Slow, a.SlowInProxyPause + b.SlowInProxyPause, a.SlowInBenchPause + b.SlowInBenchPause,
            a.All + b.All, a.AllInProxyPause + b.AllInProxyPause, a.AllInBenchPause + b.AllInBenchPause,
            a.ProxyPauses + b.ProxyPauses, Longer(a.ProxyLongestPause, b.ProxyLongestPause),
            a.BenchPauses + b.BenchPauses, Longer(a.BenchLongestPause, b.BenchLongestPause), a.Elapsed + b.Elapsed));
    }

    /// <summary>Whether a pause (sorted, none overlapping another) overlaps <paramref name="from"/> to <paramref name="to"/>.</summary>
    private static bool Overlaps(GcPause[] pauses, long from, long to)
    {
        // The first pause that ends after the request was sent.
        int low = 0, high = pauses.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (pauses[middle].End > from)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low < pauses.Length && pauses[low].Start < to;
    }

    private static GcPause Longest(GcPause[] pauses) => pauses.Length == 0 ? default : pauses.MaxBy(p => p.Length);

    private static GcPause Longer(GcPause a, GcPause b) => b.Length > a.Length ? b : a;

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
