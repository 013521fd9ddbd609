namespace FhirGateway.Core.Tokens.Caching;

/// <summary>The generation of an entry's key and the cache's epoch when a Get began reading Redis.</summary>
internal readonly record struct CacheSnapshot(long Generation, long Epoch);

/// <summary>One decrypted connection in <see cref="ConnectionCache"/>. Holds tokens: never log it.</summary>
internal sealed class CachedConnection(PlatformConnection connection, DateTimeOffset expiresAt, CacheSnapshot snapshot, DateTimeOffset readAt)
{
    private long _lastSlideTicks = readAt.UtcTicks;

    public PlatformConnection Connection { get; } = connection;

    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    public CacheSnapshot Snapshot { get; } = snapshot;

    /// <summary>True for one caller once <paramref name="interval"/> has passed since the session last slid.</summary>
    public bool TakeSlide(DateTimeOffset now, TimeSpan interval)
    {
        var last = Interlocked.Read(ref _lastSlideTicks);
        return now.UtcTicks - last >= interval.Ticks && Interlocked.CompareExchange(ref _lastSlideTicks, now.UtcTicks, last) == last;
    }
}
