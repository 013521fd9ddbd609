using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace FhirGateway.ProxyBench;

/// <summary>
/// What a .NET process's garbage collector does, from its runtime's EventPipe, as the events stream in: the bytes it
/// allocates and its pauses. Bytes come from the GC's allocation tick (one event per ~100 KB allocated on a heap,
/// carrying the amount): what <c>dotnet-trace</c>'s <c>gc-verbose</c> profile collects, without the stacks. Each tick
/// also names the type whose allocation crossed the threshold, so bytes per type (<see cref="TopTypes"/>) is a sample
/// proportional to what each type allocates. A pause runs from the runtime suspending its threads for a collection to
/// restarting them (<see cref="PausesBetween"/>), in <see cref="Stopwatch"/> ticks, so a request's time in flight can
/// be laid beside it. Events arrive in batches: read when the process has been idle for a moment
/// (<see cref="SettleAsync"/>).
/// </summary>
internal sealed class GcMeter : EventPipeMeter
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, long> _byType = new(StringComparer.Ordinal);
    private readonly List<(long Start, long End)> _pauses = [];
    private long _bytes;
    private long _suspendedAt = -1;

    private GcMeter(EventPipeSession session)
        : base(session)
    {
        Source.Clr.GCAllocationTick += tick =>
        {
            Interlocked.Add(ref _bytes, tick.AllocationAmount64);
            _byType.AddOrUpdate(tick.TypeName ?? "?", tick.AllocationAmount64, (_, sum) => sum + tick.AllocationAmount64);
        };

        // Events are dispatched one at a time on the reader's thread. The raw clock, not the relative milliseconds
        // TraceEvent prefers: that is what lines up with this process's Stopwatch (SharesStopwatchClock).
#pragma warning disable CS0618 // "Not obsolete but discouraged"
        Source.Clr.GCSuspendEEStart += suspend => _suspendedAt = suspend.TimeStampQPC;
        Source.Clr.GCRestartEEStop += restart =>
        {
            if (_suspendedAt >= 0)
            {
                lock (_pauses)
                {
                    _pauses.Add((_suspendedAt, restart.TimeStampQPC));
                }
            }

            _suspendedAt = -1;
        };
#pragma warning restore CS0618
        Start();
    }

    /// <summary>
    /// Whether the runtime's event clock is this process's <see cref="Stopwatch"/> (on Linux both count
    /// <c>CLOCK_MONOTONIC</c> nanoseconds): only then can pauses be laid beside requests.
    /// </summary>
    public static bool SharesStopwatchClock => OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000;

    public static async Task<GcMeter> StartAsync(int processId) => new(await OpenAsync(processId, ClrTraceEventParser.Keywords.GC));

    /// <summary>Waits for the events of the last moment to arrive.</summary>
    public static Task SettleAsync() => Task.Delay(Settle);

    /// <summary>The bytes allocated so far, once the events of the last moment have arrived.</summary>
    public async Task<long> SettledBytesAsync()
    {
        await SettleAsync();
        return Interlocked.Read(ref _bytes);
    }

    /// <summary>The pauses that overlap <paramref name="from"/> to <paramref name="to"/> (<see cref="Stopwatch"/> ticks), in order.</summary>
    public (long Start, long End)[] PausesBetween(long from, long to)
    {
        lock (_pauses)
        {
            return [.. _pauses.Where(p => p.Start < to && p.End > from)];
        }
    }

    /// <summary>The types that allocated most so far, with their share of the sampled bytes.</summary>
    public IReadOnlyList<(string Type, double Share)> TopTypes(int count)
    {
        var total = Math.Max(1, _byType.Values.Sum());
        return [.. _byType.OrderByDescending(t => t.Value).Take(count).Select(t => (t.Key, (double)t.Value / total))];
    }
}
