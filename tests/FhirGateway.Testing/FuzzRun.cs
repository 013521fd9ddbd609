using System.Globalization;

namespace FhirGateway.Testing;

/// <summary>
/// The size and seed of a fuzz run: the CI defaults, or <c>FUZZ_REQUESTS</c> / <c>FUZZ_SEED</c> from the environment
/// for a longer run (<c>tests/fuzz-long.sh</c>). The same seed and count give the same requests.
/// </summary>
public static class FuzzRun
{
    public const string RequestsVariable = "FUZZ_REQUESTS";
    public const string SeedVariable = "FUZZ_SEED";

    public static int Requests(int defaultRequests) => Read(RequestsVariable, defaultRequests);

    public static int Seed(int defaultSeed) => Read(SeedVariable, defaultSeed);

    /// <summary>How many times the CI default this run is (1 in CI), to scale minimums and time budgets.</summary>
    public static double Scale(int defaultRequests) => Math.Max(1, Requests(defaultRequests) / (double)defaultRequests);

    private static int Read(string variable, int fallback) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } text
            ? int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture)
            : fallback;
}

/// <summary>
/// The managed heap of this process, where the servers under test run (WebApplicationFactory on Kestrel), after a
/// forced full, compacting collection: what is still referenced, not what the GC has yet to reclaim.
/// </summary>
public static class ManagedMemory
{
    public static long AfterFullCollection()
    {
        for (var i = 0; i < 3; i++)
        {
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>
    /// The heap after a run, back within <paramref name="bound"/> of <paramref name="baseline"/> if it gets there: when
    /// it is over at once, waits up to 70 s with a full collection every 5 s, because the shared array pools release a
    /// large buffer only after it has gone a minute unused (on a gen2 collection; per-thread ones on the second). A run
    /// that happened on more threads than the warm-up leaves more of them behind. What a leak holds never goes.
    /// </summary>
    public static async Task<long> SettledAsync(long baseline, long bound)
    {
        var after = AfterFullCollection();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(70));
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(5));
        while (after - baseline >= bound && await Ticked(tick, deadline.Token))
        {
            after = AfterFullCollection();
        }

        return after;
    }

    private static async Task<bool> Ticked(PeriodicTimer tick, CancellationToken cancellationToken)
    {
        try
        {
            return await tick.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The heap by generation after the last collection (gen0, gen1, gen2, large objects, pinned objects), for the test's output.</summary>
    public static string Generations()
    {
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        string[] names = ["gen0", "gen1", "gen2", "loh", "poh"];
        return string.Join(", ", info.GenerationInfo.ToArray().Select((g, i) => $"{names[i]} {Megabytes(g.SizeAfterBytes)}"));
    }

    public static string Megabytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("F1", CultureInfo.InvariantCulture) + " MB";
}
