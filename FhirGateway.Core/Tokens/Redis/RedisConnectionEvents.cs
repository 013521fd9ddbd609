using System.Text.Json;
using FhirGateway.Core.Tokens.Protection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace FhirGateway.Core.Tokens.Redis;

/// <summary>
/// Connection events over one pub/sub channel, <c>fhirgw:events</c>, carrying the owner only as an HMAC. Each
/// process subscribes once (on its first listener) and dispatches to its own listeners in order of arrival.
/// </summary>
internal sealed partial class RedisConnectionEvents(IConnectionMultiplexer redis, StorageNames names, ILogger<RedisConnectionEvents> logger)
    : IConnectionEvents
{
    private static readonly RedisChannel Channel = RedisChannel.Literal(StorageNames.EventsChannel);

    private readonly ConnectionListeners _listeners = new();
    private readonly Lock _gate = new();
    private Task<ChannelMessageQueue>? _subscription;

    public async ValueTask PublishAsync(ConnectionEvent connectionEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connectionEvent);
        var message = new ConnectionEventMessage(
            names.EventOwner(connectionEvent.Owner), connectionEvent.PlatformId, connectionEvent.Kind, connectionEvent.Message);
        var payload = JsonSerializer.SerializeToUtf8Bytes(message, TokenStoreJsonContext.Default.ConnectionEventMessage);
        await RedisCall.RunAsync(redis.GetSubscriber().PublishAsync(Channel, payload), cancellationToken);
    }

    public async ValueTask<IConnectionListener> ListenAsync(OwnerKey owner, string platformId, CancellationToken cancellationToken = default)
    {
        // Subscribed (acknowledged by Redis) before the listener is returned: nothing published after this is missed.
        await EnsureSubscribedAsync(cancellationToken);
        return _listeners.Add(names.EventOwner(owner), owner, platformId);
    }

    private async ValueTask EnsureSubscribedAsync(CancellationToken cancellationToken)
    {
        Task<ChannelMessageQueue> subscription;
        lock (_gate)
        {
            // One subscription per process; a failed attempt (Redis down) is retried by the next listener.
            if (_subscription is null || _subscription.IsFaulted || _subscription.IsCanceled)
            {
                _subscription = SubscribeAsync();
            }

            subscription = _subscription;
        }

        await RedisCall.RunAsync(subscription, cancellationToken);
    }

    private async Task<ChannelMessageQueue> SubscribeAsync()
    {
        var queue = await redis.GetSubscriber().SubscribeAsync(Channel).ConfigureAwait(false);
        queue.OnMessage(Dispatch);
        return queue;
    }

    private void Dispatch(ChannelMessage message)
    {
        try
        {
            var decoded = JsonSerializer.Deserialize((byte[])message.Message!, TokenStoreJsonContext.Default.ConnectionEventMessage);
            if (decoded is not null)
            {
                _listeners.Dispatch(decoded.O, decoded.P, decoded.K, decoded.M);
            }
        }
        catch (JsonException e)
        {
            LogBadEvent(logger, e);
        }
    }

    [LoggerMessage(EventId = 1121, Level = LogLevel.Warning, Message = "Ignored a malformed message on the connection events channel.")]
    private static partial void LogBadEvent(ILogger logger, Exception exception);
}
