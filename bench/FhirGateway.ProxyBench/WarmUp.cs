using System.Diagnostics;
using System.Globalization;

namespace FhirGateway.ProxyBench;

/// <summary>
/// Load on a target until its code is what it will run measured. A .NET proxy compiles each method first quickly,
/// then again optimised once it is hot (tiered compilation, with profile-guided tiers between), on a background thread
/// that shares the proxy's cores: on one core the gateway was still compiling 5–7 s into a slice after a 2 s warm-up,
/// up to 45 % of the core in that time, and its CPU per read fell from 57–59 to 45 µs with a 15 s warm-up (YARP's
/// from 44–47 to 39; fifteenth session). So a .NET proxy is loaded in rounds of <see cref="Round"/> until a round
/// compiles no more than <see cref="Quiet"/> methods (<see cref="JitMeter"/>), twice in a row, for at least the fixed
/// warm-up and at most <see cref="Longest"/>; a target that is not .NET for the fixed warm-up.
/// <para>
/// The count is read after a pause without load (<see cref="Settle"/>): the events are read on this process's cores,
/// which the load generator fills, and a count read straight after a round lagged. One run (sixteenth session) took
/// YARP for warm after 8 s and 792 methods, where it takes ~30 s and ~3,100, and measured it at 50 µs a read
/// instead of 42–44.
/// </para>
/// </summary>
internal static class WarmUp
{
    private static readonly TimeSpan Round = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(90);
    /// <summary>The pause without load before a round's count is read (<c>--large</c> keeps the same rule).</summary>
    internal static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);

    /// <summary>At most this many methods compiled in a round is a quiet round.</summary>
    internal const long Quiet = 5;

    /// <summary>Quiet rounds in a row that end a warm-up.</summary>
    internal const int QuietRounds = 2;

    /// <summary>Warms <paramref name="target"/> on <paramref name="path"/>; a line for the run's header.</summary>
    public static async Task<string> RunAsync(BenchTarget target, string path, int connections, TimeSpan minimum)
    {
        var url = target.Url(path);
        if (target.Proxy?.Jit is not { } jit)
        {
            await LoadRun.RunAsync(url, target.Headers, connections, TimeSpan.Zero, minimum, proxy: target.Proxy);
            return string.Create(CultureInfo.InvariantCulture, $"{target.Name} {minimum.TotalSeconds:F0} s");
        }

        var started = Stopwatch.GetTimestamp();
        var before = jit.Compiled;
        var last = before;
        long inRound;
        var quietRounds = 0;
        do
        {
            await LoadRun.RunAsync(url, target.Headers, connections, TimeSpan.Zero, Round, proxy: target.Proxy);
            await Task.Delay(Settle);
            var compiled = jit.Compiled;
            inRound = compiled - last;
            last = compiled;
            quietRounds = inRound > Quiet ? 0 : quietRounds + 1;
        }
        while ((quietRounds < QuietRounds || Stopwatch.GetElapsedTime(started) < minimum) && Stopwatch.GetElapsedTime(started) < Longest);

        return string.Create(CultureInfo.InvariantCulture,
            $"{target.Name} {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s ({jit.Compiled - before:N0} methods compiled{(inRound > Quiet ? $", still {inRound} in the last {Round.TotalSeconds:F0} s" : "")})");
    }
}
