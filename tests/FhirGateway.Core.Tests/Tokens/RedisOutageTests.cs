using System.Diagnostics;
using FhirGateway.Core.Errors;
using FhirGateway.Testing;

namespace FhirGateway.Core.Tests.Tokens;

/// <summary>Redis going away turns into a prompt 503, not a hang.</summary>
public sealed class RedisOutageTests
{
    /// <summary>
    /// The gateway's Redis commands time out after 1 s (RedisTimeouts); StackExchange.Redis's default is 5 s. The bound
    /// sits between the two, with headroom for a loaded two-core CI machine, so it still catches a lost setting.
    /// </summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task Operations_RedisStopped_ThrowTokenStoreUnavailableBeforeTheDefaultTimeout()
    {
        var server = await RedisServer.StartAsync();
        await using var harness = new RedisHarness(server);
        var replica = await harness.CreateAsync();
        var owner = TestSettings.NewOwner();
        await replica.Store.SaveAsync(owner, TestSettings.Connection("epic", DateTimeOffset.UtcNow));

        await server.StopAsync();

        await AssertUnavailableQuicklyAsync(() => replica.Store.GetAsync(owner, "epic").AsTask());
        await AssertUnavailableQuicklyAsync(() => replica.Store.SaveAsync(owner, TestSettings.Connection("epic", DateTimeOffset.UtcNow)).AsTask());
        await AssertUnavailableQuicklyAsync(() => replica.Store.TakePendingAsync("some-state").AsTask());
        await AssertUnavailableQuicklyAsync(() => replica.Lock.TryAcquireAsync(owner, "epic", TimeSpan.FromSeconds(10)).AsTask());
        await AssertUnavailableQuicklyAsync(() => replica.Events.ListenAsync(owner, "epic").AsTask());
    }

    private static async Task AssertUnavailableQuicklyAsync(Func<Task> operation)
    {
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<TokenStoreUnavailableException>(operation);
        Assert.True(clock.Elapsed < Deadline, $"took {clock.Elapsed}");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, e.Status);
    }
}
