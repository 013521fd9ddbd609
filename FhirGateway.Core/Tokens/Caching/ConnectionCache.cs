using System.Collections.Concurrent;

namespace FhirGateway.Core.Tokens.Caching;

/// <summary>
/// Decrypted connections kept for a few seconds (<c>FHIR_GATEWAY_TOKEN_CACHE_SECONDS</c>), so that a proxied request
/// needs no Redis round trip. Keyed by the HMAC of owner and platform that invalidations carry
/// (<see cref="Protection.StorageNames.CacheEntry"/>). An entry is served only while its key's generation and the
/// cache's epoch are still the ones it was read under: an invalidation that lands while a Get is reading Redis makes
/// that Get's result unservable, so a remove racing a get cannot put the removed connection back.
/// </summary>
internal sealed class ConnectionCache : IDisposable
{
    // Generations are striped (a power of two): two keys sharing a stripe only cost each other a cache miss.
    private const int Stripes = 4096;

    private readonly ConcurrentDictionary<string, CachedConnection> _entries = new(StringComparer.Ordinal);
    private readonly long[] _generations = new long[Stripes];
    private readonly TimeProvider _time;
    private readonly ITimer _sweep;
    private long _epoch;
    private volatile bool _live;

    public ConnectionCache(TimeSpan lifetime, int capacity, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        Lifetime = lifetime;
        Capacity = capacity;
        _time = time;

        // Expired entries are dropped within one lifetime of expiring, touched or not: plaintext tokens do not
        // linger in the heap after the configured time.
        _sweep = time.CreateTimer(_ => Sweep(), null, lifetime, lifetime);
    }

    /// <summary>How long an entry is served at most.</summary>
    public TimeSpan Lifetime { get; }

    /// <summary>The most entries held; beyond it Gets go to Redis.</summary>
    public int Capacity { get; }

    /// <summary>Entries held now, expired or not (for tests and diagnostics).</summary>
    public int Count => _entries.Count;

    /// <summary>
    /// Whether invalidations are being received. Until the subscription is acknowledged, and from a dropped
    /// connection until it is back, nothing is served or added: a message missed then would leave a stale entry.
    /// </summary>
    public bool IsLive => _live;

    /// <summary>What a Get captures before it reads Redis, to add its result under.</summary>
    public CacheSnapshot Begin(string id) =>
        new(Volatile.Read(ref _generations[Stripe(id)]), Interlocked.Read(ref _epoch));

    public bool TryGet(string id, DateTimeOffset now, out CachedConnection entry)
    {
        if (_live && _entries.TryGetValue(id, out entry!) && entry.ExpiresAt > now && IsCurrent(id, entry.Snapshot))
        {
            return true;
        }

        entry = null!;
        return false;
    }

    /// <summary>Adds what a Get read, unless the key was invalidated since <paramref name="snapshot"/>.</summary>
    public void Add(string id, CacheSnapshot snapshot, PlatformConnection connection, DateTimeOffset now, DateTimeOffset expiresAt)
    {
        if (!_live || expiresAt <= now || !IsCurrent(id, snapshot) || (_entries.Count >= Capacity && !_entries.ContainsKey(id)))
        {
            return;
        }

        _entries[id] = new CachedConnection(connection, expiresAt, snapshot, now);
    }

    /// <summary>Forgets one connection here: it was saved or removed, here or on another replica.</summary>
    public void Invalidate(string id)
    {
        // Generation first: a Get that read Redis before the change can no longer add or serve what it read.
        Interlocked.Increment(ref _generations[Stripe(id)]);
        _entries.TryRemove(id, out _);
    }

    /// <summary>Forgets everything: invalidations may have been missed.</summary>
    public void Clear()
    {
        Interlocked.Increment(ref _epoch);
        _entries.Clear();
    }

    /// <summary>Stops serving (connection lost) or starts again (subscribed); either way starts empty.</summary>
    public void SetLive(bool live)
    {
        if (!live)
        {
            _live = false;
        }

        Clear();
        if (live)
        {
            _live = true;
        }
    }

    public void Dispose()
    {
        _sweep.Dispose();
        _live = false;
        Clear();
    }

    private bool IsCurrent(string id, CacheSnapshot snapshot) =>
        snapshot.Generation == Volatile.Read(ref _generations[Stripe(id)]) && snapshot.Epoch == Interlocked.Read(ref _epoch);

    private void Sweep()
    {
        var now = _time.GetUtcNow();
        foreach (var (id, entry) in _entries)
        {
            if (entry.ExpiresAt <= now || !IsCurrent(id, entry.Snapshot))
            {
                _entries.TryRemove(KeyValuePair.Create(id, entry));
            }
        }
    }

    private static int Stripe(string id) => (id.GetHashCode(StringComparison.Ordinal) & int.MaxValue) & (Stripes - 1);
}
