using FhirGateway.Core.Tokens;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace FhirGateway.Core.Tests.Auth;

/// <summary>Two gateway processes (own service providers, own Redis connections) sharing one redis-server.</summary>
public sealed class SmartRedisRefreshTests(SandboxAndRedisFixture fixture) : IClassFixture<SandboxAndRedisFixture>
{
    private const string MasterKey = "auth-tests-master-key-0123456789abcdefghijklmnopqrstuvwxyz";

    [Fact]
    public async Task GetConnectionAsync_TwoProcessesHundredConcurrentOnExpiredToken_ExactlyOneRefresh()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var settings = AuthHarness.Settings(fixture.Sandbox);
        settings[TokenStoreOptions.MasterKeyKey] = MasterKey;
        await using var redisA = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString);
        await using var redisB = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString);
        await using var first = AuthHarness.Create(settings, time, redis: redisA);
        await using var second = AuthHarness.Create(settings, time, redis: redisB);
        var owner = AuthHarness.NewOwner();
        await first.LoginAsync(owner);
        Assert.NotNull(await second.Store.GetAsync(owner, AuthHarness.PlatformId));
        time.Advance(TimeSpan.FromHours(2));

        var connections = await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            Task.Run(() => (i % 2 == 0 ? first : second).Auth.GetConnectionAsync(owner, AuthHarness.PlatformId))))
            .WaitAsync(TimeSpan.FromSeconds(60));

        // One code exchange and one refresh, across both processes.
        Assert.Equal(2, first.Counter.TokenRequests + second.Counter.TokenRequests);
        Assert.Single(connections.Select(c => c.AccessToken).Distinct());
        // The grant survived: a later refresh from the other process works.
        time.Advance(TimeSpan.FromHours(2));
        var later = await second.Auth.GetConnectionAsync(owner, AuthHarness.PlatformId);
        Assert.NotEqual(connections[0].AccessToken, later.AccessToken);
    }
}
