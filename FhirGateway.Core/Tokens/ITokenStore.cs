namespace FhirGateway.Core.Tokens;

/// <summary>
/// Where platform connections and pending authorizations live: in memory (one process, development) or in
/// Redis (shared by every replica of both front-ends). Values are encrypted at rest (AES-256-GCM); keys hold
/// no owner id in clear. Unreachable storage throws <see cref="Errors.TokenStoreUnavailableException"/>.
/// </summary>
public interface ITokenStore
{
    /// <summary>The owner's connection to a platform, or null. Slides the owner's session expiry.</summary>
    ValueTask<PlatformConnection?> GetAsync(OwnerKey owner, string platformId, CancellationToken cancellationToken = default);

    /// <summary>All of the owner's connections.</summary>
    ValueTask<IReadOnlyList<PlatformConnection>> ListAsync(OwnerKey owner, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces the owner's connection to <see cref="PlatformConnection.PlatformId"/>.</summary>
    ValueTask SaveAsync(OwnerKey owner, PlatformConnection connection, CancellationToken cancellationToken = default);

    /// <summary>Removes the owner's connection; false when there was none.</summary>
    ValueTask<bool> RemoveAsync(OwnerKey owner, string platformId, CancellationToken cancellationToken = default);

    /// <summary>Stores a pending authorization until its <see cref="PendingAuthorization.ExpiresAt"/>.</summary>
    ValueTask SavePendingAsync(PendingAuthorization pending, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically reads and deletes a pending authorization (single use, also across replicas); null when the
    /// state is unknown, used or expired.
    /// </summary>
    ValueTask<PendingAuthorization?> TakePendingAsync(string state, CancellationToken cancellationToken = default);
}
