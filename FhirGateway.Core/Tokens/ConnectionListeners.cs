using System.Threading.Channels;

namespace FhirGateway.Core.Tokens;

/// <summary>
/// This process's listeners, by owner hash and platform. Each listener buffers what arrives from the moment it
/// is added, so an event between "listen" and "wait" is kept for <see cref="IConnectionListener.NextAsync"/>.
/// </summary>
internal sealed class ConnectionListeners
{
    private readonly Dictionary<(string OwnerHash, string PlatformId), List<Listener>> _byKey = [];

    public IConnectionListener Add(string ownerHash, OwnerKey owner, string platformId)
    {
        var listener = new Listener(this, (ownerHash, platformId), owner);
        lock (_byKey)
        {
            if (!_byKey.TryGetValue(listener.Key, out var list))
            {
                _byKey[listener.Key] = list = [];
            }

            list.Add(listener);
        }

        return listener;
    }

    public void Dispatch(string ownerHash, string platformId, ConnectionEventKind kind, string? message)
    {
        Listener[] targets;
        lock (_byKey)
        {
            if (!_byKey.TryGetValue((ownerHash, platformId), out var list))
            {
                return;
            }

            targets = [.. list];
        }

        foreach (var listener in targets)
        {
            listener.Post(new ConnectionEvent(listener.Owner, platformId, kind, message));
        }
    }

    private void Remove(Listener listener)
    {
        lock (_byKey)
        {
            if (_byKey.TryGetValue(listener.Key, out var list) && list.Remove(listener) && list.Count == 0)
            {
                _byKey.Remove(listener.Key);
            }
        }
    }

    private sealed class Listener(ConnectionListeners registry, (string, string) key, OwnerKey owner) : IConnectionListener
    {
        private readonly Channel<ConnectionEvent> _events = Channel.CreateUnbounded<ConnectionEvent>(new UnboundedChannelOptions { SingleReader = false });

        public (string OwnerHash, string PlatformId) Key { get; } = key;

        public OwnerKey Owner { get; } = owner;

        public void Post(ConnectionEvent connectionEvent) => _events.Writer.TryWrite(connectionEvent);

        public Task<ConnectionEvent> NextAsync(CancellationToken cancellationToken) => _events.Reader.ReadAsync(cancellationToken).AsTask();

        public ValueTask DisposeAsync()
        {
            registry.Remove(this);
            _events.Writer.TryComplete();
            return ValueTask.CompletedTask;
        }
    }
}
