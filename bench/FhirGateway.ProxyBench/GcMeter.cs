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
    private readonly List<GcPause> _pauses = [];
    private long _bytes;
    private long _suspendedAt = -1;
    private long _suspendedBy = -1;
    private int _generation = -1;

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
        Source.Clr.GCSuspendEEStart += suspend => (_suspendedAt, _suspendedBy) = (suspend.TimeStampQPC, -1);
        Source.Clr.GCSuspendEEStop += suspended => _suspendedBy = suspended.TimeStampQPC;
        Source.Clr.GCStart += collection => _generation = collection.Depth;
        Source.Clr.GCRestartEEStop += restart =>
        {
            if (_suspendedAt >= 0)
            {
                lock (_pauses)
                {
                    _pauses.Add(new GcPause(_suspendedAt, _suspendedBy >= 0 ? _suspendedBy : _suspendedAt, restart.TimeStampQPC, _generation));
                }
            }

            (_suspendedAt, _generation) = (-1, -1);
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
    public GcPause[] PausesBetween(long from, long to)
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

/// <summary>
/// One collection's pause, in <see cref="Stopwatch"/> ticks: from the runtime asking its threads to stop
/// (<see cref="Start"/>), to all of them stopped (<see cref="Suspended"/>: a thread the OS has preempted stops only when
/// it runs again), to their restart (<see cref="End"/>), and the generation collected in it (-1: a pause without a
/// collection, or one whose start event did not arrive).
/// </summary>
internal readonly record struct GcPause(long Start, long Suspended, long End, int Generation)
{
    public long Length => End - Start;

    public long Suspending => Suspended - Start;
}
