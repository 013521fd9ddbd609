using FhirGateway.Core.Auth;
using FhirGateway.Core.Tokens.Protection;
using FhirGateway.Core.Tokens.Redis;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Tokens.Caching;

/// <summary>
/// The Redis store with a short-lived cache of decrypted connections in front of <see cref="GetAsync"/>: a hot
/// owner's proxied requests cost no Redis command. Saves and removes go to Redis, whose script publishes the entry's
/// id on <c>fhirgw:invalidate</c>, so every replica (this one at once) forgets it; the whole cache is dropped when
/// the subscription's connection drops. An entry is never served within the refresh margin of its token's expiry
/// (the refresher reads the real thing) nor past half the session lifetime.
/// </summary>
/// <remarks>
/// A Get the cache answers still slides the session, with a fire-and-forget PEXPIRE at most once per
/// <see cref="SlideInterval"/> per entry: the session may end that much earlier than with a slide per request, in
/// exchange for no Redis command on almost every request.
/// </remarks>
internal sealed class CachedTokenStore(
    RedisTokenStore inner,
    ConnectionCache cache,
    RedisCacheInvalidation invalidation,
    StorageNames names,
    IOptions<TokenStoreOptions> options,
    IOptions<SmartAuthOptions> auth,
    TimeProvider time) : ITokenStore
{
    /// <summary>The most a session's expiry lags its last use because of the cache.</summary>
    public static readonly TimeSpan SlideInterval = TimeSpan.FromSeconds(1);

    private readonly TimeSpan _maxEntryAge = Min(cache.Lifetime, options.Value.SessionMaxAge / 2);
    private readonly TimeSpan _slideInterval = Min(SlideInterval, options.Value.SessionMaxAge / 4);
    private readonly TimeSpan _refreshMargin = auth.Value.RefreshMargin;

    public async ValueTask<PlatformConnection?> GetAsync(OwnerKey owner, string platformId, CancellationToken cancellationToken = default)
    {
        var id = names.CacheEntry(owner, platformId);
        var now = time.GetUtcNow();
        if (cache.TryGet(id, now, out var entry))
        {
            if (entry.TakeSlide(now, _slideInterval))
            {
                inner.Slide(owner);
            }

            return entry.Connection;
        }

        invalidation.EnsureSubscribed();
        var snapshot = cache.Begin(id);
        var connection = await inner.GetAsync(owner, platformId, cancellationToken);
        if (connection is not null)
        {
            cache.Add(id, snapshot, connection, now, ExpiryOf(connection, now));
        }

        return connection;
    }

    public ValueTask<IReadOnlyList<PlatformConnection>> ListAsync(OwnerKey owner, CancellationToken cancellationToken = default) =>
        inner.ListAsync(owner, cancellationToken);

    public async ValueTask SaveAsync(OwnerKey owner, PlatformConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        try
        {
            await inner.SaveAsync(owner, connection, cancellationToken);
        }
        finally
        {
            // Also when the write failed or was abandoned: it may have landed.
            cache.Invalidate(names.CacheEntry(owner, connection.PlatformId));
        }
    }

    public async ValueTask<bool> RemoveAsync(OwnerKey owner, string platformId, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.RemoveAsync(owner, platformId, cancellationToken);
        }
        finally
        {
            cache.Invalidate(names.CacheEntry(owner, platformId));
        }
    }

    public ValueTask SavePendingAsync(PendingAuthorization pending, CancellationToken cancellationToken = default) =>
        inner.SavePendingAsync(pending, cancellationToken);

    public ValueTask<PendingAuthorization?> TakePendingAsync(string state, CancellationToken cancellationToken = default) =>
        inner.TakePendingAsync(state, cancellationToken);

    private DateTimeOffset ExpiryOf(PlatformConnection connection, DateTimeOffset now)
    {
        var expiry = now + _maxEntryAge;
        return connection.ExpiresAt is { } expires && expires - _refreshMargin < expiry ? expires - _refreshMargin : expiry;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
