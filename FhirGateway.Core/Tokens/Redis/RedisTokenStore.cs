using FhirGateway.Core.Tokens.Protection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FhirGateway.Core.Tokens.Redis;

/// <summary>
/// The shared store. Per owner one hash <c>fhirgw:conn:{hmac(owner)}</c> (field = platform id, value = sealed
/// connection) whose TTL is the sliding session; per pending authorization one string
/// <c>fhirgw:pending:{hmac(state)}</c> with PX at its expiry. Every operation is one Redis command. Saves and
/// removes also publish the entry's cache id on <c>fhirgw:invalidate</c> for every replica's token cache
/// (<see cref="Caching.CachedTokenStore"/>).
/// </summary>
internal sealed class RedisTokenStore(
    IConnectionMultiplexer redis, TokenSealer sealer, StorageNames names, IOptions<TokenStoreOptions> options, TimeProvider time)
    : ITokenStore
{
    private readonly long _maxAgeMilliseconds = (long)options.Value.SessionMaxAge.TotalMilliseconds;

    private IDatabase Database => redis.GetDatabase();

    public async ValueTask<PlatformConnection?> GetAsync(OwnerKey owner, string platformId, CancellationToken cancellationToken = default)
    {
        var result = await RedisCall.RunAsync(
            Database.ScriptEvaluateAsync(RedisScripts.Get, ConnectionKeys(owner), [platformId, _maxAgeMilliseconds]), cancellationToken);
        return result.IsNull ? null : sealer.OpenConnection(owner, platformId, (byte[])result!);
    }

    public async ValueTask<IReadOnlyList<PlatformConnection>> ListAsync(OwnerKey owner, CancellationToken cancellationToken = default)
    {
        var result = await RedisCall.RunAsync(
            Database.ScriptEvaluateAsync(RedisScripts.List, ConnectionKeys(owner), [_maxAgeMilliseconds]), cancellationToken);
        var pairs = (RedisResult[])result!;
        var connections = new List<PlatformConnection>(pairs.Length / 2);
        for (var i = 0; i + 1 < pairs.Length; i += 2)
        {
            if (sealer.OpenConnection(owner, (string)pairs[i]!, (byte[])pairs[i + 1]!) is { } connection)
            {
                connections.Add(connection);
            }
        }

        connections.Sort((a, b) => string.CompareOrdinal(a.PlatformId, b.PlatformId));
        return connections;
    }

    public async ValueTask SaveAsync(OwnerKey owner, PlatformConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var value = sealer.Seal(owner, connection);
        await RedisCall.RunAsync(
            Database.ScriptEvaluateAsync(RedisScripts.Save, ConnectionKeys(owner), [connection.PlatformId, value, _maxAgeMilliseconds, names.CacheEntry(owner, connection.PlatformId)]),
            cancellationToken);
    }

    public async ValueTask<bool> RemoveAsync(OwnerKey owner, string platformId, CancellationToken cancellationToken = default)
    {
        var result = await RedisCall.RunAsync(
            Database.ScriptEvaluateAsync(RedisScripts.Remove, ConnectionKeys(owner), [platformId, names.CacheEntry(owner, platformId)]), cancellationToken);
        return (long)result > 0;
    }

    public async ValueTask SavePendingAsync(PendingAuthorization pending, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var ttl = pending.ExpiresAt - time.GetUtcNow();
        if (ttl <= TimeSpan.Zero)
        {
            return;
        }

        // SET ... PX: Redis drops it at its expiry.
        await RedisCall.RunAsync(Database.StringSetAsync(names.Pending(pending.State), sealer.Seal(pending), ttl), cancellationToken);
    }

    public async ValueTask<PendingAuthorization?> TakePendingAsync(string state, CancellationToken cancellationToken = default)
    {
        var keys = names.PendingUnderAllKeys(state);
        byte[]? value = keys.Length == 1
            ? await RedisCall.RunAsync(Database.StringGetDeleteAsync(keys[0]), cancellationToken)
            : (byte[]?)await RedisCall.RunAsync(Database.ScriptEvaluateAsync(RedisScripts.TakePending, ToKeys(keys)), cancellationToken);
        return value is null ? null : sealer.OpenPending(state, value);
    }

    /// <summary>
    /// Slides the owner's session without waiting for Redis (fire and forget), for a Get the token cache answered.
    /// Under the current name only: the cached Get that came first has already moved an older hash there.
    /// </summary>
    public void Slide(OwnerKey owner) =>
        Database.KeyExpire(names.Connections(owner), TimeSpan.FromMilliseconds(_maxAgeMilliseconds), ExpireWhen.Always, CommandFlags.FireAndForget);

    private RedisKey[] ConnectionKeys(OwnerKey owner) => ToKeys(names.ConnectionsUnderAllKeys(owner));

    private static RedisKey[] ToKeys(string[] names) => Array.ConvertAll(names, name => (RedisKey)name);
}
