using FhirGateway.Core.Tokens;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace FhirGateway.Core.Tests.Tokens;

/// <summary>One gateway process's token services, built by the real <see cref="TokenStoreExtensions.AddTokenStore"/>.</summary>
public sealed class Replica(ServiceProvider services, IConnectionMultiplexer? redis) : IAsyncDisposable
{
    public IServiceProvider Services => services;

    public ITokenStore Store => services.GetRequiredService<ITokenStore>();

    public IConnectionLock Lock => services.GetRequiredService<IConnectionLock>();

    public IConnectionEvents Events => services.GetRequiredService<IConnectionEvents>();

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        if (redis is not null)
        {
            await redis.DisposeAsync();
        }
    }
}
