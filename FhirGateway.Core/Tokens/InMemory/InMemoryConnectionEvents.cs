using FhirGateway.Core.Tokens.Protection;

namespace FhirGateway.Core.Tokens.InMemory;

/// <summary>Connection events within this process.</summary>
internal sealed class InMemoryConnectionEvents(StorageNames names) : IConnectionEvents
{
    private readonly ConnectionListeners _listeners = new();

    public ValueTask PublishAsync(ConnectionEvent connectionEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connectionEvent);
        _listeners.Dispatch(names.EventOwner(connectionEvent.Owner), connectionEvent.PlatformId, connectionEvent.Kind, connectionEvent.Message);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IConnectionListener> ListenAsync(OwnerKey owner, string platformId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IConnectionListener>(_listeners.Add(names.EventOwner(owner), owner, platformId));
}
