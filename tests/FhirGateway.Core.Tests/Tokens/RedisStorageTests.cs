using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;
using FhirGateway.Core.Tokens;
using FhirGateway.Core.Tokens.Protection;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace FhirGateway.Core.Tests.Tokens;

/// <summary>What lands in Redis: no secret in clear, sealed under the right key, bound to its slot.</summary>
[Collection(RedisTests.Name)]
public sealed partial class RedisStorageTests(RedisFixture redis) : IAsyncDisposable
{
    private readonly RedisHarness _harness = new(redis.Server);
    private readonly IConnectionMultiplexer _raw = redis.Connect();

    private IDatabase Raw => _raw.GetDatabase();

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _raw.DisposeAsync();
    }

    [Fact]
    public async Task ScanOfEveryKeyAndValue_AfterSaving_FindsNoTokenCodeVerifierOrOwner()
    {
        var replica = await _harness.CreateAsync();
        var sessionId = "SESSION-ID-" + Guid.NewGuid().ToString("N");
        var owner = OwnerKey.ForSession(sessionId);
        var now = DateTimeOffset.UtcNow;
        var connection = TestSettings.Connection("epic", now, "ACCESS-TOKEN-SECRET-1") with { RefreshToken = "REFRESH-TOKEN-SECRET-2", Patient = "PATIENT-ID-SECRET-3" };
        var pending = TestSettings.Pending(owner, now, TimeSpan.FromMinutes(10), "STATE-SECRET-4") with { CodeVerifier = "PKCE-VERIFIER-SECRET-5" };
        await replica.Store.SaveAsync(owner, connection);
        await replica.Store.SavePendingAsync(pending);
        await using var held = await replica.Lock.TryAcquireAsync(owner, "epic", TimeSpan.FromMinutes(1));
        string[] secrets = [sessionId, "ACCESS-TOKEN-SECRET-1", "REFRESH-TOKEN-SECRET-2", "PATIENT-ID-SECRET-3", "STATE-SECRET-4", "PKCE-VERIFIER-SECRET-5"];

        var keys = new List<string>();
        var sawPlatformField = false;
        var server = _raw.GetServer(_raw.GetEndPoints()[0]);
        await foreach (var key in server.KeysAsync(pattern: "*"))
        {
            keys.Add(key!);
            var blobs = new List<byte[]> { Encoding.UTF8.GetBytes(key!), (await Raw.KeyDumpAsync(key))! };
            var type = await Raw.KeyTypeAsync(key);
            if (type == RedisType.String)
            {
                blobs.Add((await Raw.StringGetAsync(key))!);
            }
            else if (type == RedisType.Hash)
            {
                blobs.AddRange((await Raw.HashGetAllAsync(key)).SelectMany(e => new[] { (byte[])e.Name!, (byte[])e.Value! }));
            }

            // Control: the scan does read the stored data (the platform id is a hash field in clear).
            sawPlatformField |= blobs.Any(b => b.AsSpan().SequenceEqual("epic"u8));
            foreach (var blob in blobs)
            {
                foreach (var secret in secrets)
                {
                    Assert.False(blob.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) >= 0, $"'{secret}' found in clear under {key}");
                }
            }
        }

        Assert.True(sawPlatformField);
        Assert.Contains(keys, k => k.StartsWith("fhirgw:conn:", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.StartsWith("fhirgw:pending:", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.StartsWith("fhirgw:lock:", StringComparison.Ordinal));
        Assert.All(keys, k => Assert.Matches(StorageKeyPattern(), k));
    }

    [Fact]
    public async Task GetAsync_AfterRotation_ReadsOldValuesAndWritesUnderNewKeyId()
    {
        var owner = TestSettings.NewOwner();
        var now = DateTimeOffset.UtcNow;
        var before = await _harness.CreateAsync(TestSettings.WithKey(TestSettings.KeyA));
        await before.Store.SaveAsync(owner, TestSettings.Connection("epic", now, "written-under-A"));
        var pending = TestSettings.Pending(owner, now, TimeSpan.FromMinutes(10));
        await before.Store.SavePendingAsync(pending);

        var after = await _harness.CreateAsync(TestSettings.WithKey(TestSettings.KeyB, previous: TestSettings.KeyA));

        Assert.Equal("written-under-A", (await after.Store.GetAsync(owner, "epic"))?.AccessToken);
        Assert.Equal(pending, await after.Store.TakePendingAsync(pending.State));
        await after.Store.SaveAsync(owner, TestSettings.Connection("cerner", now));
        var names = after.Services.GetRequiredService<StorageNames>();
        var keyIdB = new TokenKey(TestSettings.KeyB).Id;
        var keyIdA = new TokenKey(TestSettings.KeyA).Id;
        Assert.Equal(keyIdB, KeyId(await Raw.HashGetAsync(names.Connections(owner), "cerner")));
        Assert.Equal(keyIdA, KeyId(await Raw.HashGetAsync(names.Connections(owner), "epic")));
        Assert.Equal(["cerner", "epic"], (await after.Store.ListAsync(owner)).Select(c => c.PlatformId));
    }

    [Fact]
    public async Task GetAsync_ValueUnderUnknownKeyId_ReadsAsAbsent()
    {
        var owner = TestSettings.NewOwner();
        var writer = await _harness.CreateAsync(TestSettings.WithKey(TestSettings.KeyA));
        await writer.Store.SaveAsync(owner, TestSettings.Connection("epic", DateTimeOffset.UtcNow));
        var reader = await _harness.CreateAsync(TestSettings.WithKey(TestSettings.KeyB));

        // Put the value where the reader looks, as if FHIR_GATEWAY_MASTER_KEYS had lost key A.
        var value = await Raw.HashGetAsync(Name(writer, owner), "epic");
        await Raw.HashSetAsync(Name(reader, owner), "epic", value);

        Assert.Null(await reader.Store.GetAsync(owner, "epic"));
        Assert.Empty(await reader.Store.ListAsync(owner));
    }

    [Fact]
    public async Task GetAsync_TamperedCiphertext_ReadsAsAbsent()
    {
        var replica = await _harness.CreateAsync();
        var owner = TestSettings.NewOwner();
        await replica.Store.SaveAsync(owner, TestSettings.Connection("epic", DateTimeOffset.UtcNow));
        var value = (byte[])(await Raw.HashGetAsync(Name(replica, owner), "epic"))!;

        value[^5] ^= 0x01;
        await Raw.HashSetAsync(Name(replica, owner), "epic", value);

        Assert.Null(await replica.Store.GetAsync(owner, "epic"));
    }

    [Fact]
    public async Task GetAsync_ValueCopiedToOtherOwnerOrPlatform_ReadsAsAbsent()
    {
        var replica = await _harness.CreateAsync();
        var victim = TestSettings.NewOwner();
        var attacker = TestSettings.NewOwner();
        await replica.Store.SaveAsync(victim, TestSettings.Connection("epic", DateTimeOffset.UtcNow));
        var value = await Raw.HashGetAsync(Name(replica, victim), "epic");

        await Raw.HashSetAsync(Name(replica, attacker), "epic", value);
        await Raw.HashSetAsync(Name(replica, victim), "cerner", value);

        Assert.Null(await replica.Store.GetAsync(attacker, "epic"));
        Assert.Null(await replica.Store.GetAsync(victim, "cerner"));
        Assert.NotNull(await replica.Store.GetAsync(victim, "epic"));
    }

    [Fact]
    public async Task GetAsync_Saved_SetsSessionTtl()
    {
        var replica = await _harness.CreateAsync(TestSettings.WithKey(sessionMaxAge: TimeSpan.FromHours(2)));
        var owner = TestSettings.NewOwner();
        await replica.Store.SaveAsync(owner, TestSettings.Connection("epic", DateTimeOffset.UtcNow));
        await Raw.KeyExpireAsync(Name(replica, owner), TimeSpan.FromMinutes(1));

        await replica.Store.GetAsync(owner, "epic");

        var ttl = await Raw.KeyTimeToLiveAsync(Name(replica, owner));
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(119), TimeSpan.FromHours(2));
    }

    private static string Name(Replica replica, OwnerKey owner) => replica.Services.GetRequiredService<StorageNames>().Connections(owner);

    private static uint KeyId(RedisValue value) => BinaryPrimitives.ReadUInt32BigEndian(((byte[])value!).AsSpan(1, 4));

    [GeneratedRegex("^fhirgw:(conn|pending|lock):[A-Za-z0-9_-]{43}$")]
    private static partial Regex StorageKeyPattern();
}
