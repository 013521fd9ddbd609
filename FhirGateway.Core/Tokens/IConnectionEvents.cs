namespace FhirGateway.Core.Tokens;

/// <summary>What happened to a connection.</summary>
public enum ConnectionEventKind
{
    /// <summary>A login completed.</summary>
    Connected,

    /// <summary>The tokens were refreshed.</summary>
    Refreshed,

    /// <summary>A login or refresh failed; the connection needs re-authorization.</summary>
    Failed,

    /// <summary>The connection was removed (logout).</summary>
    Removed,

    /// <summary>
    /// A refresh ended without changing the connection (a transient failure at the platform): whoever waits on
    /// it may try again now instead of waiting out the refresh lock's lease.
    /// </summary>
    RefreshAbandoned,
}

/// <summary>A change to one owner's connection to one platform. Carries no token.</summary>
/// <param name="Owner">Whose connection.</param>
/// <param name="PlatformId">Which platform.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Message">For failures, what went wrong, in words for the user.</param>
public sealed record ConnectionEvent(OwnerKey Owner, string PlatformId, ConnectionEventKind Kind, string? Message = null);

/// <summary>
/// Connection changes across processes (Redis pub/sub; in-process signals in memory), so that a long poll or a
/// refresh waiter wakes the moment a callback or refresh lands on any replica, without polling.
/// </summary>
public interface IConnectionEvents
{
    /// <summary>Tells every listener of the owner and platform, in every process.</summary>
    ValueTask PublishAsync(ConnectionEvent connectionEvent, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts listening for one owner and platform. Listen first, then check the store, then wait: an event
    /// between the check and the wait is not lost.
    /// </summary>
    ValueTask<IConnectionListener> ListenAsync(OwnerKey owner, string platformId, CancellationToken cancellationToken = default);
}

/// <summary>A subscription to one owner's connection to one platform.</summary>
public interface IConnectionListener : IAsyncDisposable
{
    /// <summary>The next event since listening began (buffered); cancel to stop waiting.</summary>
    Task<ConnectionEvent> NextAsync(CancellationToken cancellationToken);
}
