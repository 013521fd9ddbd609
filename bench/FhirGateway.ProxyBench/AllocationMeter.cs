using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace FhirGateway.ProxyBench;

/// <summary>
/// Bytes another .NET process has allocated, from its runtime's EventPipe: the GC's allocation tick (one event per
/// ~100 KB allocated on a heap, carrying the amount), summed as the events stream in. What <c>dotnet-trace</c>'s
/// <c>gc-verbose</c> profile collects, without the stacks. Events arrive in batches, so read
/// <see cref="SettledBytesAsync"/> when the process has been idle for a moment. Each tick also names the type whose
/// allocation crossed the threshold, so bytes per type (<see cref="TopTypes"/>) is a sample proportional to what
/// each type allocates.
/// </summary>
internal sealed class AllocationMeter : IAsyncDisposable
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    private readonly EventPipeSession _session;
    private readonly EventPipeEventSource _source;
    private readonly Task _reader;
    private readonly ConcurrentDictionary<string, long> _byType = new(StringComparer.Ordinal);
    private long _bytes;

    private AllocationMeter(EventPipeSession session)
    {
        _session = session;
        _source = new EventPipeEventSource(_session.EventStream);
        _source.Clr.GCAllocationTick += tick =>
        {
            Interlocked.Add(ref _bytes, tick.AllocationAmount64);
            _byType.AddOrUpdate(tick.TypeName ?? "?", tick.AllocationAmount64, (_, sum) => sum + tick.AllocationAmount64);
        };
        _reader = Task.Run(_source.Process);
    }

    /// <summary>
    /// Asynchronous, not <c>StartEventPipeSession</c>: this process inlines socket completions, so its caller may be
    /// on the socket thread, and a synchronous read of the diagnostics socket there waits for that same thread
    /// (it hung this way on one core).
    /// </summary>
    public static async Task<AllocationMeter> StartAsync(int processId)
    {
        var provider = new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Verbose, (long)ClrTraceEventParser.Keywords.GC);
        var session = await new DiagnosticsClient(processId).StartEventPipeSessionAsync([provider], requestRundown: false, token: CancellationToken.None);
        return new AllocationMeter(session);
    }

    /// <summary>The total so far, once the events of the last moment have arrived.</summary>
    public async Task<long> SettledBytesAsync()
    {
        await Task.Delay(Settle);
        return Interlocked.Read(ref _bytes);
    }

    /// <summary>The types that allocated most so far, with their share of the sampled bytes.</summary>
    public IReadOnlyList<(string Type, double Share)> TopTypes(int count)
    {
        var total = Math.Max(1, _byType.Values.Sum());
        return [.. _byType.OrderByDescending(t => t.Value).Take(count).Select(t => (t.Key, (double)t.Value / total))];
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _session.StopAsync(CancellationToken.None);
        }
        catch (ServerNotAvailableException)
        {
            // The process has already exited.
        }

        await _reader.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        _source.Dispose();
        _session.Dispose();
    }
}
