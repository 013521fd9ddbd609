using FhirGateway.Core.Tokens;
using FhirGateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace FhirGateway.Core.Tests.Tokens;

/// <summary>The Redis backend: each replica has its own connection, as separate processes would.</summary>
public sealed class RedisHarness(RedisServer server) : IBackendHarness
{
    private readonly List<Replica> _replicas = [];

    public TimeProvider Time => TimeProvider.System;

    public async Task<Replica> CreateAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var redis = await RedisFixture.ConnectAsync(server);
        var services = TestSettings.Services(settings ?? TestSettings.WithKey(), TimeProvider.System);
        services.AddSingleton(redis);
        services.AddTokenStore(TokenStoreBackend.Redis);
        var replica = new Replica(services.BuildServiceProvider(), redis);
        _replicas.Add(replica);
        return replica;
    }

    public Task<Replica> PeerOfAsync(Replica replica, IReadOnlyDictionary<string, string?>? settings = null) => CreateAsync(settings);

    // Redis expires keys on its own clock: real time has to pass.
    public Task PassAsync(TimeSpan duration) => Task.Delay(duration);

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }
    }
}
