namespace FhirGateway.Core.Tests.Tokens;

/// <summary>One token store backend as the shared contract tests see it.</summary>
public interface IBackendHarness : IAsyncDisposable
{
    /// <summary>The clock the store reads (fake in memory, real with Redis, whose TTLs run on its own clock).</summary>
    TimeProvider Time { get; }

    /// <summary>A replica with the given settings (default: master key A).</summary>
    Task<Replica> CreateAsync(IReadOnlyDictionary<string, string?>? settings = null);

    /// <summary>Another replica sharing <paramref name="replica"/>'s storage (in memory: the same one).</summary>
    Task<Replica> PeerOfAsync(Replica replica, IReadOnlyDictionary<string, string?>? settings = null);

    /// <summary>Lets <paramref name="duration"/> pass for the store.</summary>
    Task PassAsync(TimeSpan duration);
}
