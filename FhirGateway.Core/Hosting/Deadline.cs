using System.Collections.Concurrent;

namespace FhirGateway.Core.Hosting;

/// <summary>
/// A deadline for a piece of work (a request, a platform call): a token cancelled when its timeout passes or when the
/// caller's token is, as a linked <see cref="CancellationTokenSource"/> with
/// <see cref="CancellationTokenSource.CancelAfter(TimeSpan)"/> would be. Its source is pooled: one that ended without
/// being cancelled is reset (<see cref="CancellationTokenSource.TryReset"/>, which also stops its timer) and serves the
/// next, as ASP.NET Core pools the sources of its request timeouts. A linked source, its timer and its registrations
/// were a twelfth of a search's allocations, twice per search (ProxyBench allocation profile, 2026-11-29).
/// Dispose it once the token is no longer in use: nothing may keep the token after that.
/// </summary>
internal sealed class Deadline : IDisposable
{
    /// <summary>Sources kept for reuse; beyond that, a returned one is disposed.</summary>
    internal const int MaxPooled = 256;

    private static readonly ConcurrentQueue<Deadline> Pool = new();
    private static int s_pooled;

    private readonly CancellationTokenSource _source = new();
    private CancellationToken _caller;
    private CancellationTokenRegistration _link;
    private int _leased;

    private Deadline()
    {
    }

    /// <summary>Sources waiting in the pool (for tests).</summary>
    internal static int Pooled => Volatile.Read(ref s_pooled);

    /// <summary>Cancelled once <paramref name="timeout"/> has passed or <paramref name="caller"/> is cancelled.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Whether the timeout, not the caller, cancelled the call.</summary>
    public bool Expired => _source.IsCancellationRequested && !_caller.IsCancellationRequested;

    /// <summary>A deadline <paramref name="timeout"/> from now, also cancelled with <paramref name="caller"/>.</summary>
    public static Deadline Start(TimeSpan timeout, CancellationToken caller)
    {
        if (Pool.TryDequeue(out var deadline))
        {
            Interlocked.Decrement(ref s_pooled);
        }
        else
        {
            deadline = new Deadline();
        }

        deadline._leased = 1;
        deadline._caller = caller;
        deadline._source.CancelAfter(timeout);
        deadline._link = caller.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), deadline._source);
        return deadline;
    }

    /// <summary>Ends the deadline: back to the pool when it was not cancelled, else disposed. A second call does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _leased, 0) == 0)
        {
            return;
        }

        // Waits for the caller's cancellation callback if it is running, so the source is quiet before it is reset.
        _link.Dispose();
        _link = default;
        _caller = default;
        if (_source.TryReset())
        {
            if (Interlocked.Increment(ref s_pooled) <= MaxPooled)
            {
                Pool.Enqueue(this);
                return;
            }

            Interlocked.Decrement(ref s_pooled);
        }

        _source.Dispose();
    }
}
