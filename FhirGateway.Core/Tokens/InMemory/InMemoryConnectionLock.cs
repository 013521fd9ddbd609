using System.Collections.Concurrent;
using FhirGateway.Core.Tokens.Protection;

namespace FhirGateway.Core.Tokens.InMemory;

/// <summary>The process-local lock: a lease per owner and platform, taken over once expired.</summary>
internal sealed class InMemoryConnectionLock(StorageNames names, TimeProvider time) : IConnectionLock
{
    private readonly ConcurrentDictionary<string, Lease> _leases = new(StringComparer.Ordinal);

    public ValueTask<IAsyncDisposable?> TryAcquireAsync(OwnerKey owner, string platformId, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        var name = names.Lock(owner, platformId);
        var mine = new Lease(Guid.NewGuid(), time.GetUtcNow() + lease);
        if (_leases.TryAdd(name, mine))
        {
            return ValueTask.FromResult<IAsyncDisposable?>(new Handle(this, name, mine));
        }

        // Held: take it over only if the holder's lease ran out, and only if nobody else did meanwhile.
        var acquired = _leases.TryGetValue(name, out var current)
            && current.ExpiresAt <= time.GetUtcNow()
            && _leases.TryUpdate(name, mine, current);
        return ValueTask.FromResult<IAsyncDisposable?>(acquired ? new Handle(this, name, mine) : null);
    }

    private sealed record Lease(Guid Token, DateTimeOffset ExpiresAt);

    private sealed class Handle(InMemoryConnectionLock owner, string name, Lease lease) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            // Removes only this lease: after expiry and take-over the new holder's lease stays.
            owner._leases.TryRemove(KeyValuePair.Create(name, lease));
            return ValueTask.CompletedTask;
        }
    }
}
