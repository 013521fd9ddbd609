using StackExchange.Redis;

namespace FhirGateway.Core.Tokens.Redis;

/// <summary>
/// Client timeouts short enough that a request answers 503 within about two seconds when Redis is down, instead
/// of StackExchange.Redis's 5 s defaults; a healthy Redis answers these commands in well under a millisecond.
/// </summary>
internal static class RedisTimeouts
{
    public const int CommandTimeoutMilliseconds = 1000;
    public const int ConnectTimeoutMilliseconds = 2000;

    public static void Apply(ConfigurationOptions options)
    {
        options.AsyncTimeout = CommandTimeoutMilliseconds;
        options.SyncTimeout = CommandTimeoutMilliseconds;
        options.ConnectTimeout = ConnectTimeoutMilliseconds;

        // Start even when Redis is not up yet; operations fail with 503 until it is, then recover by themselves.
        options.AbortOnConnectFail = false;
    }
}
