using FhirGateway.Core.Tokens.Caching;
using FhirGateway.Core.Tokens.Protection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace FhirGateway.Core.Tokens.Redis;

/// <summary>
/// Keeps <see cref="ConnectionCache"/> in step with every replica: subscribes to <c>fhirgw:invalidate</c> (the Save
/// and Remove scripts publish the changed entry's id there, an HMAC that names neither owner nor token) and takes the
/// cache out of service, emptied, from a dropped connection until the subscription is back, since messages published
/// meanwhile are lost.
/// </summary>
internal sealed partial class RedisCacheInvalidation : IDisposable
{
    private static readonly RedisChannel Channel = RedisChannel.Literal(StorageNames.InvalidationChannel);
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    private readonly IConnectionMultiplexer _redis;
    private readonly ConnectionCache _cache;
    private readonly ILogger<RedisCacheInvalidation> _logger;
    private readonly Lock _gate = new();
    private Task? _subscription;
    private long _lastAttempt;
    private volatile bool _subscribed;

    public RedisCacheInvalidation(IConnectionMultiplexer redis, ConnectionCache cache, ILogger<RedisCacheInvalidation> logger)
    {
        _redis = redis;
        _cache = cache;
        _logger = logger;
        redis.ConnectionFailed += OnConnectionFailed;
        redis.ConnectionRestored += OnConnectionRestored;
        EnsureSubscribed();
    }

    /// <summary>
    /// Starts the subscription unless it is up or on its way; after a failure (Redis down) at most one new attempt
    /// per <see cref="RetryInterval"/>, so a miss during an outage does not queue a subscribe per request.
    /// </summary>
    public void EnsureSubscribed()
    {
        if (_subscribed)
        {
            return;
        }

        lock (_gate)
        {
            var now = Environment.TickCount64;
            if (_subscription is null || (_subscription.IsCompleted && !_subscribed && now - _lastAttempt >= RetryInterval.TotalMilliseconds))
            {
                _lastAttempt = now;
                _subscription = SubscribeAsync();
            }
        }
    }

    public void Dispose()
    {
        _redis.ConnectionFailed -= OnConnectionFailed;
        _redis.ConnectionRestored -= OnConnectionRestored;
        _cache.SetLive(false);
    }

    private async Task SubscribeAsync()
    {
        try
        {
            // Acknowledged by Redis before the cache serves anything: no change published after this is missed.
            await _redis.GetSubscriber().SubscribeAsync(Channel, (_, message) => _cache.Invalidate((string)message!)).ConfigureAwait(false);
            _subscribed = true;
            _cache.SetLive(true);
        }
        catch (Exception e) when (RedisCall.IsUnavailable(e) || e is ObjectDisposedException)
        {
            // The cache stays off (every Get reads Redis); the next miss after RetryInterval tries again.
            LogSubscribeFailed(_logger, e);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        _cache.SetLive(false);
        LogCacheSuspended(_logger, e.ConnectionType);
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (_subscribed)
        {
            _ = ResumeAsync();
        }
    }

    private async Task ResumeAsync()
    {
        try
        {
            // The client re-subscribes on reconnect before it sends anything else on that connection: once a PING
            // there is answered, invalidations flow again.
            var subscriber = _redis.GetSubscriber();
            await subscriber.PingAsync().ConfigureAwait(false);
            if (subscriber.IsConnected(Channel))
            {
                _cache.SetLive(true);
            }
        }
        catch (Exception e) when (RedisCall.IsUnavailable(e))
        {
            // Still down: the next ConnectionRestored tries again.
            LogSubscribeFailed(_logger, e);
        }
    }

    [LoggerMessage(EventId = 1131, Level = LogLevel.Warning,
        Message = "Redis connection ({ConnectionType}) lost: the token cache is emptied and bypassed until the invalidation subscription is back.")]
    private static partial void LogCacheSuspended(ILogger logger, ConnectionType connectionType);

    [LoggerMessage(EventId = 1132, Level = LogLevel.Warning, Message = "Could not subscribe to token cache invalidations; the cache stays off until it can.")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);
}
