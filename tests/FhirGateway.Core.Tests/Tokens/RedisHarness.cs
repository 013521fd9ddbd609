using FhirGateway.Core.Tokens;
using FhirGateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace FhirGateway.Core.Tests.Tokens;

/// <summary>
/// The Redis backend: each replica has its own connection, as separate processes would. Its token cache
/// (FHIR_GATEWAY_TOKEN_CACHE_SECONDS) is off unless <paramref name="tokenCacheSeconds"/> turns it on.
/// </summary>
public sealed class RedisHarness(RedisServer server, int tokenCacheSeconds = 0) : IBackendHarness
{
    private readonly List<Replica> _replicas = [];

    public TimeProvider Time => TimeProvider.System;

    public async Task<Replica> CreateAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var redis = await RedisFixture.ConnectAsync(server);
        var withCache = new Dictionary<string, string?>(settings ?? TestSettings.WithKey());
        withCache.TryAdd(TokenStoreOptions.TokenCacheSecondsKey, tokenCacheSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var services = TestSettings.Services(withCache, TimeProvider.System);
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
