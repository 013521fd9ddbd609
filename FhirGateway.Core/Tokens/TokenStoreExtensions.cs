using FhirGateway.Core.Tokens.Caching;
using FhirGateway.Core.Tokens.InMemory;
using FhirGateway.Core.Tokens.Protection;
using FhirGateway.Core.Tokens.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Tokens;

/// <summary>Registers the token store, the connection lock and the connection events.</summary>
public static class TokenStoreExtensions
{
    /// <summary>
    /// Decrypted connections one replica keeps at most (about 2 KB each): enough for every active session of a
    /// large deployment within a few seconds; beyond it Gets simply go to Redis.
    /// </summary>
    private const int ConnectionCacheCapacity = 100_000;

    /// <summary>
    /// Adds <see cref="ITokenStore"/>, <see cref="IConnectionLock"/> and <see cref="IConnectionEvents"/> for
    /// <paramref name="backend"/>, with <see cref="TokenStoreOptions"/> read from <c>FHIR_GATEWAY_MASTER_KEY</c>,
    /// <c>FHIR_GATEWAY_MASTER_KEYS</c>, <c>FHIR_GATEWAY_SESSION_MAX_AGE</c> and <c>FHIR_GATEWAY_TOKEN_CACHE_SECONDS</c> (Redis: the
    /// decrypted-connection cache, 5 s unless set, 0 = off) and validated at start, and
    /// <see cref="TimeProvider.System"/> unless a <see cref="TimeProvider"/> is registered. Redis needs an
    /// <c>IConnectionMultiplexer</c> (from <c>AddRedisClient</c>).
    /// </summary>
    public static IServiceCollection AddTokenStore(this IServiceCollection services, TokenStoreBackend backend)
    {
        services.TryAddSingleton(new TokenStoreInfo(backend));
        services.AddOptions<TokenStoreOptions>()
            .Configure<IConfiguration>(TokenStoreOptionsBinding.Bind)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TokenStoreOptions>, ValidateTokenStoreOptions>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => TokenKeyRing.FromOptions(sp.GetRequiredService<IOptions<TokenStoreOptions>>().Value));
        services.TryAddSingleton<TokenCipher>();
        services.TryAddSingleton<StorageNames>();
        services.TryAddSingleton<TokenSealer>();

        if (backend == TokenStoreBackend.Redis)
        {
            services.TryAddSingleton<RedisTokenStore>();
            services.TryAddSingleton(sp => new ConnectionCache(
                sp.GetRequiredService<IOptions<TokenStoreOptions>>().Value.TokenCacheDuration, ConnectionCacheCapacity, sp.GetRequiredService<TimeProvider>()));
            services.TryAddSingleton<RedisCacheInvalidation>();
            services.TryAddSingleton<ITokenStore>(sp => sp.GetRequiredService<IOptions<TokenStoreOptions>>().Value.TokenCacheDuration > TimeSpan.Zero
                ? ActivatorUtilities.CreateInstance<CachedTokenStore>(sp)
                : sp.GetRequiredService<RedisTokenStore>());
            services.TryAddSingleton<IConnectionLock, RedisConnectionLock>();
            services.TryAddSingleton<IConnectionEvents, RedisConnectionEvents>();
        }
        else
        {
            services.TryAddSingleton<ITokenStore, InMemoryTokenStore>();
            services.TryAddSingleton<IConnectionLock, InMemoryConnectionLock>();
            services.TryAddSingleton<IConnectionEvents, InMemoryConnectionEvents>();
        }

        return services;
    }
}
