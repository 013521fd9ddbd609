using System.Globalization;
using FhirGateway.Bench;

namespace FhirGateway.ProxyBench;

/// <summary>Prints the runs and the ratios as Markdown tables, ready for README's Performance section.</summary>
internal static class ResultTable
{
    public static void Print(IReadOnlyList<Measurement> runs)
    {
        Console.WriteLine();
        Console.WriteLine("| interaction | load | target | req/s | p50 ms | p99 ms | max ms | proxy process CPU µs/req | proxy process alloc KB/req | load generator + upstream CPU µs/req | VM steal ms | errors |");
        Console.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (interaction, load, target, r, _) in runs)
        {
            var own = target == "direct" ? "–" : Invariant($"{r.ProxyCpuMicrosecondsPerRequest:F1}");
            var ownAlloc = target is "direct" or NginxRelay.Name ? "–" : Kilobytes(r.ProxyAllocatedBytesPerRequest);
            Console.WriteLine(Invariant($"| {interaction} | {load} | {target} | {r.RequestsPerSecond:F0} | {r.P50Ms:F2} | {r.P99Ms:F2} | {r.MaxMs:F1} | {own} | {ownAlloc} | {r.CpuMicrosecondsPerRequest:F1} | {r.Steal.TotalMilliseconds:F0} | {r.Errors} |"));
        }

        Console.WriteLine();
        Console.WriteLine("| interaction | load | gateway/direct req/s | gateway/yarp req/s | gateway/yarp, median of rounds | yarp/direct req/s | added p50 ms vs direct (yarp) | added p99 ms vs direct (yarp) | gateway CPU µs/req (yarp) | yarp/gateway CPU per request | gateway alloc KB/req (yarp) |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var group in runs.GroupBy(r => (r.Interaction, r.Load)))
        {
            var direct = Find(group, "direct");
            var yarp = Find(group, "yarp");
            var gateway = Find(group, "gateway");
            if (direct is null || yarp is null || gateway is null)
            {
                continue;
            }

            // Below saturation idle threads spin, so CPU per request only means something in the closed-loop runs.
            var paced = group.Key.Load.Contains("/s", StringComparison.Ordinal);
            Console.WriteLine(string.Join(" | ",
                Invariant($"| {group.Key.Interaction} | {group.Key.Load}"),
                Invariant($"{gateway.RequestsPerSecond / direct.RequestsPerSecond:F2}"),
                Invariant($"{gateway.RequestsPerSecond / yarp.RequestsPerSecond:F2}"),
                Invariant($"{MedianOfRounds(group, "gateway", "yarp"):F2}"),
                Invariant($"{yarp.RequestsPerSecond / direct.RequestsPerSecond:F2}"),
                Invariant($"{gateway.P50Ms - direct.P50Ms:+0.00;-0.00} ({yarp.P50Ms - direct.P50Ms:+0.00;-0.00})"),
                Invariant($"{gateway.P99Ms - direct.P99Ms:+0.00;-0.00} ({yarp.P99Ms - direct.P99Ms:+0.00;-0.00})"),
                paced ? "–" : Invariant($"{gateway.ProxyCpuMicrosecondsPerRequest:F1} ({yarp.ProxyCpuMicrosecondsPerRequest:F1})"),
                // What the throughput ratio would be with each proxy on a core of its own.
                paced ? "–" : Invariant($"{yarp.ProxyCpuMicrosecondsPerRequest / gateway.ProxyCpuMicrosecondsPerRequest:F2}"),
                $"{Kilobytes(gateway.ProxyAllocatedBytesPerRequest)} ({Kilobytes(yarp.ProxyAllocatedBytesPerRequest)}) |"));
        }

        var groups = runs.GroupBy(r => (r.Interaction, r.Load)).ToList();
        // The gateway against the bare baseline too, when it was measured (--yarp-slim); closed loop only.
        PrintComparison(
            groups.Where(g => Find(g, "yarp-slim") is not null && !g.Key.Load.Contains("/s", StringComparison.Ordinal)),
            "| interaction | load | gateway/yarp-slim req/s | yarp/yarp-slim req/s | yarp-slim CPU µs/req (yarp) | yarp-slim alloc KB/req (yarp) |",
            group =>
            {
                var (gateway, yarp, slim) = (Find(group, "gateway")!, Find(group, "yarp")!, Find(group, "yarp-slim")!);
                return Invariant(
                    $"{gateway.RequestsPerSecond / slim.RequestsPerSecond:F2} | {yarp.RequestsPerSecond / slim.RequestsPerSecond:F2} | {slim.ProxyCpuMicrosecondsPerRequest:F1} ({yarp.ProxyCpuMicrosecondsPerRequest:F1}) | {Kilobytes(slim.ProxyAllocatedBytesPerRequest)} ({Kilobytes(yarp.ProxyAllocatedBytesPerRequest)})");
            });
        // A hop with no .NET in it (--nginx), closed loop and half load: whether a latency is the gateway's or any proxy's.
        PrintComparison(
            groups.Where(g => Find(g, NginxRelay.Name) is not null),
            "| interaction | load | gateway/nginx req/s (yarp/nginx) | added p50 ms vs direct: nginx (gateway, yarp) | added p99 ms vs direct: nginx (gateway, yarp) | nginx CPU µs/req (gateway, yarp) |",
            group =>
            {
                var (direct, gateway, yarp, nginx) = (Find(group, "direct")!, Find(group, "gateway")!, Find(group, "yarp")!, Find(group, NginxRelay.Name)!);
                var paced = group.Key.Load.Contains("/s", StringComparison.Ordinal);
                return Invariant(
                    $"{gateway.RequestsPerSecond / nginx.RequestsPerSecond:F2} ({yarp.RequestsPerSecond / nginx.RequestsPerSecond:F2}) | {nginx.P50Ms - direct.P50Ms:+0.00;-0.00} ({gateway.P50Ms - direct.P50Ms:+0.00;-0.00}, {yarp.P50Ms - direct.P50Ms:+0.00;-0.00}) | {nginx.P99Ms - direct.P99Ms:+0.00;-0.00} ({gateway.P99Ms - direct.P99Ms:+0.00;-0.00}, {yarp.P99Ms - direct.P99Ms:+0.00;-0.00}) | ")
                    + (paced ? "–" : Invariant($"{nginx.ProxyCpuMicrosecondsPerRequest:F1} ({gateway.ProxyCpuMicrosecondsPerRequest:F1}, {yarp.ProxyCpuMicrosecondsPerRequest:F1})"));
            });
        PrintOpenLoopTail(runs);
        // The A/B: gateway-b beside the gateway.
        PrintComparison(
            groups.Where(g => Find(g, "gateway-b") is not null),
            "| interaction | load | gateway-b/gateway req/s | gateway-b/yarp req/s | gateway-b CPU µs/req (gateway) | gateway-b alloc KB/req (gateway) |",
            group =>
            {
                var (gateway, variant, yarp) = (Find(group, "gateway")!, Find(group, "gateway-b")!, Find(group, "yarp")!);
                return Invariant(
                    $"{variant.RequestsPerSecond / gateway.RequestsPerSecond:F2} | {variant.RequestsPerSecond / yarp.RequestsPerSecond:F2} | {variant.ProxyCpuMicrosecondsPerRequest:F1} ({gateway.ProxyCpuMicrosecondsPerRequest:F1}) | {Kilobytes(variant.ProxyAllocatedBytesPerRequest)} ({Kilobytes(gateway.ProxyAllocatedBytesPerRequest)})");
            });
    }

    /// <summary>
    /// Open loop, where the slowest requests come from: how often the proxy's threads waited and were preempted per
    /// request (<see cref="ContextSwitches"/>), and each target's slowest 1 % laid beside garbage collections
    /// (<see cref="GcOverlap"/>), the proxy's own and this process's; – for direct, and for GC of a proxy that is not .NET.
    /// </summary>
    private static void PrintOpenLoopTail(IReadOnlyList<Measurement> runs)
    {
        var paced = runs.Where(r => r.Result.Gc is not null).ToList();
        if (paced.Count == 0)
        {
            return;
        }

        Console.WriteLine();
        Console.WriteLine("| interaction | load | target | proxy threads' waits (preemptions) per request | proxy GC pauses/s (longest ms: generation, of it stopping threads) | slowest 1 % in flight during a proxy GC pause (all requests) | bench GC pauses/s (longest ms) | slowest 1 % during a bench GC pause (all requests) |");
        Console.WriteLine("|---|---|---|---:|---:|---:|---:|---:|");
        foreach (var (interaction, load, target, r, _) in paced)
        {
            var gc = r.Gc!;
            var dotnet = gc.ProxyPauses > 0 || target is not ("direct" or NginxRelay.Name);
            Console.WriteLine(string.Join(" | ",
                $"| {interaction} | {load} | {target}",
                target == "direct" ? "–" : Invariant($"{r.ProxyWaitsPerRequest:F2} ({r.ProxyPreemptionsPerRequest:F2})"),
                dotnet ? Invariant($"{gc.ProxyPausesPerSecond:F1} ({gc.ProxyLongestPauseMs:F2}: gen {gc.ProxyLongestGeneration}, {gc.ProxyLongestSuspendingMs:F2})") : "–",
                dotnet ? Invariant($"{gc.SlowInProxyPauseShare:P0} ({gc.AllInProxyPauseShare:P1})") : "–",
                Invariant($"{gc.BenchPausesPerSecond:F1} ({gc.BenchLongestPauseMs:F2})"),
                Invariant($"{gc.SlowInBenchPauseShare:P0} ({gc.AllInBenchPauseShare:P1}) |")));
        }
    }

    /// <summary>A four-column side table after the main ones, one row per (interaction, load), when any group has it.</summary>
    private static void PrintComparison(
        IEnumerable<IGrouping<(string Interaction, string Load), Measurement>> groups, string header, Func<IGrouping<(string Interaction, string Load), Measurement>, string> cells)
    {
        var rows = groups.ToList();
        if (rows.Count == 0)
        {
            return;
        }

        Console.WriteLine();
        Console.WriteLine(header);
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (var group in rows)
        {
            Console.WriteLine($"| {group.Key.Interaction} | {group.Key.Load} | {cells(group)} |");
        }
    }

    private static LoadResult? Find(IEnumerable<Measurement> runs, string target) => runs.FirstOrDefault(r => r.Target == target)?.Result;

    /// <summary>
    /// The median over rounds of one target's requests per second over another's in the same round, slices measured
    /// one right after the other. The merged ratio counts a slice in which the machine stalled a process (most of a
    /// second, now and then, whichever process it is: see the max ms and VM steal columns) against that target alone;
    /// the median leaves such a round out.
    /// </summary>
    private static double MedianOfRounds(IEnumerable<Measurement> runs, string target, string anchor)
    {
        var (of, to) = (runs.First(r => r.Target == target).Slices, runs.First(r => r.Target == anchor).Slices);
        return Stats.Median([.. of.Zip(to, (a, b) => a.RequestsPerSecond / b.RequestsPerSecond)]);
    }

    /// <summary>A negative difference (a counter read out of step) says n/a.</summary>
    private static string Kilobytes(double bytes) => bytes < 0 ? "n/a" : Invariant($"{bytes / 1024:F1}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
