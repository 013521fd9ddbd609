using StackExchange.Redis;

namespace FhirGateway.Core.Tokens.Redis;

/// <summary>
/// Client settings so that a request answers 503 well within two seconds when Redis is down, and works again
/// within a second or two of Redis coming back, instead of StackExchange.Redis's defaults (5 s timeouts, commands
/// queued while disconnected, reconnects backing off to 10 s). A healthy Redis answers these commands in well
/// under a millisecond.
/// </summary>
/// <remarks>
/// Measured with RedisOutageTests (redis-server killed under a connected session, 2 loaded cores): with the
/// defaults' backlog and 1 s heartbeat, reads answered 503 after 1.7-2.0 s and /health after 2.0 s.
/// </remarks>
internal static class RedisTimeouts
{
    public const int CommandTimeoutMilliseconds = 1000;
    public const int ConnectTimeoutMilliseconds = 2000;

    /// <summary>Timeouts are only noticed on a heartbeat: at 250 ms a dead-but-open socket fails at 1.0-1.25 s, not 1-2 s.</summary>
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMilliseconds(250);

    public static void Apply(ConfigurationOptions options)
    {
        options.AsyncTimeout = CommandTimeoutMilliseconds;
        options.SyncTimeout = CommandTimeoutMilliseconds;
        options.ConnectTimeout = ConnectTimeoutMilliseconds;
        options.HeartbeatInterval = HeartbeatInterval;

        // Start even when Redis is not up yet; operations fail with 503 until it is, then recover by themselves.
        options.AbortOnConnectFail = false;

        // A command issued while the connection is known to be down fails at once (503, "try again shortly")
        // instead of waiting in the backlog for the command timeout.
        options.BacklogPolicy = BacklogPolicy.FailFast;

        // Reconnect attempts 250 ms apart at first, never more than a second apart (the default backs off to 10 s),
        // so a restarted Redis is used again within about a second however long it was down.
        options.ReconnectRetryPolicy = new ExponentialRetry(deltaBackOffMilliseconds: 250, maxDeltaBackOffMilliseconds: 1000);
    }
}
