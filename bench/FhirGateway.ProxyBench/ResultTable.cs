using System.Globalization;

namespace FhirGateway.ProxyBench;

/// <summary>Prints the runs and the ratios as Markdown tables, ready for README's Performance section.</summary>
internal static class ResultTable
{
    public static void Print(IReadOnlyList<Measurement> runs)
    {
        Console.WriteLine();
        Console.WriteLine("| interaction | load | target | req/s | p50 ms | p99 ms | proxy process CPU µs/req | proxy process alloc KB/req | load generator + upstream CPU µs/req | errors |");
        Console.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (interaction, load, target, r) in runs)
        {
            var own = target == "direct" ? "–" : Invariant($"{r.ProxyCpuMicrosecondsPerRequest:F1}");
            var ownAlloc = target == "direct" ? "–" : Kilobytes(r.ProxyAllocatedBytesPerRequest);
            Console.WriteLine(Invariant($"| {interaction} | {load} | {target} | {r.RequestsPerSecond:F0} | {r.P50Ms:F2} | {r.P99Ms:F2} | {own} | {ownAlloc} | {r.CpuMicrosecondsPerRequest:F1} | {r.Errors} |"));
        }

        Console.WriteLine();
        Console.WriteLine("| interaction | load | gateway/direct req/s | gateway/yarp req/s | yarp/direct req/s | added p50 ms vs direct (yarp) | added p99 ms vs direct (yarp) | gateway CPU µs/req (yarp) | yarp/gateway CPU per request | gateway alloc KB/req (yarp) |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
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
                Invariant($"{yarp.RequestsPerSecond / direct.RequestsPerSecond:F2}"),
                Invariant($"{gateway.P50Ms - direct.P50Ms:+0.00;-0.00} ({yarp.P50Ms - direct.P50Ms:+0.00;-0.00})"),
                Invariant($"{gateway.P99Ms - direct.P99Ms:+0.00;-0.00} ({yarp.P99Ms - direct.P99Ms:+0.00;-0.00})"),
                paced ? "–" : Invariant($"{gateway.ProxyCpuMicrosecondsPerRequest:F1} ({yarp.ProxyCpuMicrosecondsPerRequest:F1})"),
                // What the throughput ratio would be with each proxy on a core of its own.
                paced ? "–" : Invariant($"{yarp.ProxyCpuMicrosecondsPerRequest / gateway.ProxyCpuMicrosecondsPerRequest:F2}"),
                $"{Kilobytes(gateway.ProxyAllocatedBytesPerRequest)} ({Kilobytes(yarp.ProxyAllocatedBytesPerRequest)}) |"));
        }

        PrintSlim(runs);
        var variants = runs.GroupBy(r => (r.Interaction, r.Load)).Where(g => Find(g, "gateway-b") is not null).ToList();
        if (variants.Count == 0)
        {
            return;
        }

        Console.WriteLine();
        Console.WriteLine("| interaction | load | gateway-b/gateway req/s | gateway-b/yarp req/s | gateway-b CPU µs/req (gateway) | gateway-b alloc KB/req (gateway) |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (var group in variants)
        {
            var (gateway, variant, yarp) = (Find(group, "gateway")!, Find(group, "gateway-b")!, Find(group, "yarp")!);
            Console.WriteLine(Invariant(
                $"| {group.Key.Interaction} | {group.Key.Load} | {variant.RequestsPerSecond / gateway.RequestsPerSecond:F2} | {variant.RequestsPerSecond / yarp.RequestsPerSecond:F2} | {variant.ProxyCpuMicrosecondsPerRequest:F1} ({gateway.ProxyCpuMicrosecondsPerRequest:F1}) | {Kilobytes(variant.ProxyAllocatedBytesPerRequest)} ({Kilobytes(gateway.ProxyAllocatedBytesPerRequest)}) |"));
        }
    }

    /// <summary>The gateway against the bare baseline too, when it was measured (<c>--yarp-slim</c>).</summary>
    private static void PrintSlim(IReadOnlyList<Measurement> runs)
    {
        var groups = runs.GroupBy(r => (r.Interaction, r.Load)).Where(g => Find(g, "yarp-slim") is not null && !g.Key.Load.Contains("/s", StringComparison.Ordinal)).ToList();
        if (groups.Count == 0)
        {
            return;
        }

        Console.WriteLine();
        Console.WriteLine("| interaction | load | gateway/yarp-slim req/s | yarp/yarp-slim req/s | yarp-slim CPU µs/req (yarp) | yarp-slim alloc KB/req (yarp) |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (var group in groups)
        {
            var (gateway, yarp, slim) = (Find(group, "gateway")!, Find(group, "yarp")!, Find(group, "yarp-slim")!);
            Console.WriteLine(Invariant(
                $"| {group.Key.Interaction} | {group.Key.Load} | {gateway.RequestsPerSecond / slim.RequestsPerSecond:F2} | {yarp.RequestsPerSecond / slim.RequestsPerSecond:F2} | {slim.ProxyCpuMicrosecondsPerRequest:F1} ({yarp.ProxyCpuMicrosecondsPerRequest:F1}) | {Kilobytes(slim.ProxyAllocatedBytesPerRequest)} ({Kilobytes(yarp.ProxyAllocatedBytesPerRequest)}) |"));
        }
    }

    private static LoadResult? Find(IEnumerable<Measurement> runs, string target) => runs.FirstOrDefault(r => r.Target == target)?.Result;

    /// <summary>A negative difference (a counter read out of step) says n/a.</summary>
    private static string Kilobytes(double bytes) => bytes < 0 ? "n/a" : Invariant($"{bytes / 1024:F1}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
