using FhirGateway.Core.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FhirGateway.Core.Tests.Tokens;

/// <summary>The in-memory backend on a fake clock.</summary>
public sealed class InMemoryHarness : IBackendHarness
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly List<Replica> _replicas = [];

    public TimeProvider Time => _time;

    public Task<Replica> CreateAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var services = TestSettings.Services(settings ?? TestSettings.WithKey(), _time);
        services.AddTokenStore(TokenStoreBackend.InMemory);
        var replica = new Replica(services.BuildServiceProvider(), null);
        _replicas.Add(replica);
        return Task.FromResult(replica);
    }

    // One process: the "other replica" is the same store.
    public Task<Replica> PeerOfAsync(Replica replica, IReadOnlyDictionary<string, string?>? settings = null) => Task.FromResult(replica);

    public Task PassAsync(TimeSpan duration)
    {
        _time.Advance(duration);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }
    }
}
