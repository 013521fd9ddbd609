using FhirGateway.Core.Tokens;
using FhirGateway.Core.Tokens.Caching;
using FhirGateway.Core.Tokens.Protection;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace FhirGateway.Core.Tests.Tokens;

/// <summary>
/// The decrypted-connection cache across replicas (own connections, one real redis-server): a change on one replica
/// reaches the others' caches through pub/sub, a dropped subscription empties the cache, and nothing outlives the
/// configured lifetime or the token's refresh margin.
/// </summary>
[Collection(RedisTests.Name)]
public sealed class TokenCacheTests(RedisFixture redis) : IAsyncDisposable
{
    // Far longer than any wait below: a test that passes did so through invalidation, not expiry.
    private const int LongCacheSeconds = 120;
    private static readonly TimeSpan PubSubBound = TimeSpan.FromSeconds(15);

    /// <summary>Long enough for a save's invalidation to come back over pub/sub on this machine, short of every cache lifetime here.</summary>
    private static readonly TimeSpan EchoSettle = TimeSpan.FromMilliseconds(100);

    private readonly RedisHarness _harness = new(redis.Server, LongCacheSeconds);
    private readonly IConnectionMultiplexer _raw = redis.Connect();

    private static DateTimeOffset Now => DateTimeOffset.UtcNow;

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _raw.DisposeAsync();
    }

    [Fact]
    public async Task GetAsync_RemovedOnOtherReplica_ReturnsNull()
    {
        var (a, b) = (await _harness.CreateAsync(), await _harness.CreateAsync());
        var owner = TestSettings.NewOwner();
        await a.Store.SaveAsync(owner, TestSettings.Connection("epic", Now));
        Assert.NotNull(await CachedGetAsync(b, owner, "epic"));

        Assert.True(await a.Store.RemoveAsync(owner, "epic"));

        Assert.True(await EventuallyAsync(async () => await b.Store.GetAsync(owner, "epic") is null), "Replica B still served the removed connection.");
    }

    [Fact]
    public async Task GetAsync_SavedOnOtherReplica_ReturnsNewToken()
    {
        var (a, b) = (await _harness.CreateAsync(), await _harness.CreateAsync());
        var owner = TestSettings.NewOwner();
        await a.Store.SaveAsync(owner, TestSettings.Connection("epic", Now, "first"));
        Assert.Equal("first", (await CachedGetAsync(b, owner, "epic"))?.AccessToken);

        await a.Store.SaveAsync(owner, TestSettings.Connection("epic", Now, "second"));

        Assert.True(await EventuallyAsync(async () => (await b.Store.GetAsync(owner, "epic"))?.AccessToken == "second"), "Replica B kept the old token.");
    }

    [Fact]
    public async Task GetAsync_SavedOrRemovedOnSameReplica_SeesItAtOnce()
    {
        var a = await _harness.CreateAsync();
        var owner = TestSettings.NewOwner();
        await a.Store.SaveAsync(owner, TestSettings.Connection("epic", Now, "first"));
        await CachedGetAsync(a, owner, "epic");

        await a.Store.SaveAsync(owner, TestSettings.Connection("epic", Now, "second"));
        Assert.Equal("second", (await a.Store.GetAsync(owner, "epic"))?.AccessToken);

        await a.Store.RemoveAsync(owner, "epic");
        Assert.Null(await a.Store.GetAsync(owner, "epic"));
    }

    [Fact]
    public async Task GetAsync_SubscriberConnectionDropped_ForgetsWhatIsCached()
    {
        var a = await _harness.CreateAsync();
        var owner = TestSettings.NewOwner();
        await a.Store.SaveAsync(owner, TestSettings.Connection("epic", Now, "first"));
        var first = await RawValueAsync(a, owner, "epic");
        await a.Store.SaveAsync(owner, TestSettings.Connection("epic", Now, "second"));
        Assert.Equal("second", (await CachedGetAsync(a, owner, "epic"))?.AccessToken);

        // Put the first value back behind the cache's back (no invalidation is published), then drop every
        // subscriber connection: messages may have been missed, so the cache must start over from Redis.
        await _raw.GetDatabase().HashSetAsync(ConnectionsName(a, owner), "epic", first);
        Assert.Equal("second", (await a.Store.GetAsync(owner, "epic"))?.AccessToken);
        await _raw.GetServers()[0].ExecuteAsync("CLIENT", "KILL", "TYPE", "pubsub");

        Assert.True(await EventuallyAsync(async () => (await a.Store.GetAsync(owner, "epic"))?.AccessToken == "first"), "The cache survived a dropped subscription.");
        Assert.True(await EventuallyAsync(async () =>
        {
            await a.Store.GetAsync(owner, "epic");
            return Cache(a).Count == 1;
        }), "The cache did not resume after the subscription came back.");
    }

    [Fact]
    public async Task GetAsync_AfterCacheLifetime_ReadsRedisAndDropsThePlaintext()
    {
        await using var harness = new RedisHarness(redis.Server, tokenCacheSeconds: 1);
        var a = await harness.CreateAsync();
        var owner = TestSettings.NewOwner();
        await a.Store.SaveAsync(owner, TestSettings.Connection("epic", Now, "first"));
        var first = await RawValueAsync(a, owner, "epic");
        await a.Store.SaveAsync(owner, TestSettings.Connection("epic", Now, "second"));
        // The entry's lifetime starts when the read that caches it starts, so no earlier than this; timing from
        // the change below instead would count whatever the change itself took against the lifetime.
        var cachingFrom = DateTimeOffset.UtcNow;
        Assert.Equal("second", (await CachedGetAsync(a, owner, "epic"))?.AccessToken);
        await _raw.GetDatabase().HashSetAsync(ConnectionsName(a, owner), "epic", first);

        // Untouched, the entry is swept (no decrypted token left in the cache) within two lifetimes...
        Assert.True(await EventuallyAsync(() => Task.FromResult(Cache(a).Count == 0)), "An expired entry stayed in memory.");
        // ...and was never served beyond its lifetime: the next read is Redis's value.
        Assert.Equal("first", (await a.Store.GetAsync(owner, "epic"))?.AccessToken);
        Assert.True(DateTimeOffset.UtcNow - cachingFrom >= TimeSpan.FromSeconds(0.9), "The entry was dropped before its lifetime.");
    }

    [Fact]
    public async Task GetAsync_AnsweredByCache_StillSlidesTheSession()
    {
        // A 20 s session: entries live at most 10 s (half of it), so the reads below are cache hits.
        var a = await _harness.CreateAsync(TestSettings.WithKey(sessionMaxAge: TimeSpan.FromSeconds(20)));
        var owner = TestSettings.NewOwner();
        await a.Store.SaveAsync(owner, TestSettings.Connection("epic", Now));
        await CachedGetAsync(a, owner, "epic");
        var name = ConnectionsName(a, owner);

        // Let the TTL run down past the slide interval (1 s), then read from the cache: the session slides back
        // to a full 20 s; without the slide it would stay near 17 s.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.True(await EventuallyAsync(async () =>
        {
            Assert.NotNull(await a.Store.GetAsync(owner, "epic"));
            return await _raw.GetDatabase().KeyTimeToLiveAsync(name) > TimeSpan.FromSeconds(18.5);
        }), "A cached read did not slide the session.");
        Assert.Equal(1, Cache(a).Count);
    }

    [Fact]
    public async Task GetAsync_TokenWithinRefreshMargin_IsNotCached()
    {
        var a = await _harness.CreateAsync();
        var owner = TestSettings.NewOwner();
        // The refresh margin defaults to 60 s: a token expiring in 30 s is due, so the refresher must see the real entry.
        await a.Store.SaveAsync(owner, TestSettings.Connection("epic", Now) with { ExpiresAt = Now.AddSeconds(30) });

        Assert.NotNull(await a.Store.GetAsync(owner, "epic"));

        Assert.Equal(0, Cache(a).Count);
    }

    [Fact]
    public async Task GetAsync_RemoveRacingGet_NeverBringsTheConnectionBack()
    {
        var (a, b) = (await _harness.CreateAsync(), await _harness.CreateAsync());
        for (var round = 0; round < 100; round++)
        {
            var owner = TestSettings.NewOwner();
            await a.Store.SaveAsync(owner, TestSettings.Connection("epic", Now));
            using var removed = new CancellationTokenSource();
            var reads = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                // Reading until shortly after the remove: some read is in flight when the invalidation arrives.
                while (!removed.IsCancellationRequested)
                {
                    await a.Store.GetAsync(owner, "epic");
                    // A cache hit completes synchronously: without yielding, four readers spinning on two cores starve
                    // the Redis client's own threads (and the remove this test waits for) for seconds.
                    await Task.Yield();
                }
            })).ToArray();
            await b.Store.RemoveAsync(owner, "epic");
            removed.CancelAfter(TimeSpan.FromMilliseconds(5));
            await Task.WhenAll(reads);

            // Whatever the reads put in A's cache, A must stop serving it once B's remove is known there. (A stress
            // check over real Redis; the exact interleaving is pinned by Add_InvalidatedWhileReading_IsNeverServed.)
            Assert.True(await EventuallyAsync(async () => await a.Store.GetAsync(owner, "epic") is null), $"Round {round}: the removed connection came back.");
        }
    }

    [Fact]
    public void Add_InvalidatedWhileReading_IsNeverServed()
    {
        using var cache = new ConnectionCache(TimeSpan.FromMinutes(1), 10, TimeProvider.System);
        cache.SetLive(true);
        var connection = TestSettings.Connection("epic", Now);

        var snapshot = cache.Begin("id");
        cache.Invalidate("id");
        cache.Add("id", snapshot, connection, Now, Now.AddMinutes(1));
        Assert.False(cache.TryGet("id", Now, out _));

        var cleared = cache.Begin("id");
        cache.Clear();
        cache.Add("id", cleared, connection, Now, Now.AddMinutes(1));
        Assert.False(cache.TryGet("id", Now, out _));

        cache.Add("id", cache.Begin("id"), connection, Now, Now.AddMinutes(1));
        Assert.True(cache.TryGet("id", Now, out _));
    }

    /// <summary>
    /// A Get after which the connection is in the replica's cache (once its subscription is up). Reads until the
    /// connection is in the cache and still served from it a moment later: every save publishes its invalidation to all
    /// replicas, the saving one too, and one that lands just after a read drops what the read cached (a miss, not an
    /// error). A test that saved and then reads through the cache would otherwise race its own
    /// save's echo (seventeenth session: an entry gone 39 ms after it was cached, in one CI run of many).
    /// </summary>
    private static async Task<PlatformConnection?> CachedGetAsync(Replica replica, OwnerKey owner, string platformId)
    {
        var cache = Cache(replica);
        var id = replica.Services.GetRequiredService<StorageNames>().CacheEntry(owner, platformId);
        PlatformConnection? connection = null;
        Assert.True(await EventuallyAsync(async () =>
        {
            connection = await replica.Store.GetAsync(owner, platformId);
            if (!cache.IsLive || !cache.TryGet(id, Now, out _))
            {
                return false;
            }

            await Task.Delay(EchoSettle);
            return cache.TryGet(id, Now, out _);
        }), "The cache never went live, or never kept the connection.");
        return connection;
    }

    private static ConnectionCache Cache(Replica replica) => replica.Services.GetRequiredService<ConnectionCache>();

    private static string ConnectionsName(Replica replica, OwnerKey owner) => replica.Services.GetRequiredService<StorageNames>().Connections(owner);

    private async Task<RedisValue> RawValueAsync(Replica replica, OwnerKey owner, string platformId) =>
        await _raw.GetDatabase().HashGetAsync(ConnectionsName(replica, owner), platformId);

    /// <summary>Polls until <paramref name="condition"/> holds or <see cref="PubSubBound"/> passes.</summary>
    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTimeOffset.UtcNow + PubSubBound;
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }
}
