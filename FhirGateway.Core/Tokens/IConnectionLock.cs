namespace FhirGateway.Core.Tokens;

/// <summary>
/// A lock that holds across every replica sharing the store (Redis <c>SET NX PX</c> with a token-checked
/// release; a process-local lock in memory). Used so exactly one refresh per owner and platform is in flight:
/// platforms rotate refresh tokens and revoke the grant when a used one comes back.
/// </summary>
public interface IConnectionLock
{
    /// <summary>
    /// Tries once to take the lock; null when another holder has it. The lease bounds how long a crashed holder
    /// blocks others. Dispose the handle to release (only the holder's own lease is released).
    /// </summary>
    ValueTask<IAsyncDisposable?> TryAcquireAsync(OwnerKey owner, string platformId, TimeSpan lease, CancellationToken cancellationToken = default);
}
