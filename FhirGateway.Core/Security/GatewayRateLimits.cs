using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using FhirGateway.Core.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Security;

/// <summary>
/// Fixed-window rate limits, kept in each replica's memory. An authenticated user has one window per replica,
/// keyed by a hash of the owner; everything else (a gateway key, a cookie, nobody) and the OAuth callback share
/// one window per client IP, because keys and sessions cost nothing to mint and so cannot be the unit of a limit.
/// Windows start together on the process's clock; one left unused for a whole window is dropped.
/// </summary>
/// <remarks>
/// ASP.NET Core's rate-limiting middleware with a partitioned fixed-window limiter did this until the eighth session;
/// taking a permit here is a dictionary lookup and a short lock, where the middleware's lease, its endpoint checks
/// and its async frame cost ~1.5–2 µs per FHIR request (ProxyBench profile, 2026-11-29).
/// </remarks>
internal sealed class GatewayRateLimits : IDisposable
{
    private static readonly PathString[] Unlimited = ["/health", "/alive"];
    private static readonly PathString Callback = "/oauth/callback";

    private readonly ConcurrentDictionary<Partition, Window> _windows = new();
    private readonly GatewaySecurityOptions _options;
    private readonly TimeProvider _time;
    private readonly long _windowTicks;
    private readonly ITimer _sweep;

    public GatewayRateLimits(IOptions<GatewaySecurityOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        _windowTicks = (long)(_options.Window.TotalSeconds * time.TimestampFrequency);
        _sweep = time.CreateTimer(static state => ((GatewayRateLimits)state!).Sweep(), this, _options.Window, _options.Window);
    }

    /// <summary>Windows held now (users and client IPs seen in the current or the last window).</summary>
    public int Partitions => _windows.Count;

    /// <summary>Takes a permit for the request, or says in how many seconds its window starts again.</summary>
    public bool TryAcquire(HttpContext context, out int retryAfterSeconds)
    {
        retryAfterSeconds = 0;
        var path = context.Request.Path;
        foreach (var open in Unlimited)
        {
            if (path.StartsWithSegments(open))
            {
                return true;
            }
        }

        var (partition, permits) = !path.StartsWithSegments(Callback) && GatewayUser.OwnerOf(context) is { } owner
            ? (new Partition(owner.Pseudonym, null), _options.UserPermits)
            : (new Partition(null, context.Connection.RemoteIpAddress ?? IPAddress.None), _options.AnonymousPermits);
        var now = _time.GetTimestamp();
        var id = now / _windowTicks;
        if (_windows.GetOrAdd(partition, static _ => new Window()).TryTake(id, permits))
        {
            return true;
        }

        var left = (double)((id + 1) * _windowTicks - now) / _time.TimestampFrequency;
        retryAfterSeconds = Math.Max(1, (int)Math.Ceiling(left));
        return false;
    }

    public void Dispose() => _sweep.Dispose();

    /// <summary>
    /// Drops the windows nobody used in the current or the last window. A request that took its permit from a window
    /// as it was dropped is not counted in the next one: at most one permit more, once.
    /// </summary>
    private void Sweep()
    {
        var current = _time.GetTimestamp() / _windowTicks;
        foreach (var (partition, window) in _windows)
        {
            if (window.Id < current - 1)
            {
                _windows.TryRemove(partition, out _);
            }
        }
    }

    /// <summary>A user's window (by the pseudonym of the owner) or a client IP's.</summary>
    private readonly record struct Partition(string? User, IPAddress? Address);

    /// <summary>One partition's count in its current window.</summary>
    private sealed class Window
    {
        private readonly Lock _lock = new();
        private long _id = -1;
        private int _taken;

        public long Id
        {
            get
            {
                lock (_lock)
                {
                    return _id;
                }
            }
        }

        public bool TryTake(long id, int permits)
        {
            lock (_lock)
            {
                if (_id != id)
                {
                    _id = id;
                    _taken = 0;
                }

                if (_taken >= permits)
                {
                    return false;
                }

                _taken++;
                return true;
            }
        }
    }
}

/// <summary>Refuses a request past its <see cref="GatewayRateLimits"/> window: 429 with <c>Retry-After</c>, in the front-end's format.</summary>
internal sealed partial class GatewayRateLimitMiddleware(RequestDelegate next, GatewayRateLimits limits, IGatewayRefusal refusal, ILogger<GatewayRateLimitMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context) =>
        limits.TryAcquire(context, out var seconds) ? next(context) : RefuseAsync(context, seconds);

    /// <summary>RFC 6585 §4: 429 with <c>Retry-After</c> (RFC 9110 §10.2.3).</summary>
    private Task RefuseAsync(HttpContext context, int seconds)
    {
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        LogRejected(logger, context.Request.Method, context.Request.Path, seconds);
        return refusal.WriteAsync(context, StatusCodes.Status429TooManyRequests, "throttled", $"Too many requests; retry after {seconds} seconds.");
    }

    [LoggerMessage(EventId = 7100, Level = LogLevel.Warning, Message = "Rate limit reached for {Method} {Path}; retry after {Seconds} s.")]
    private static partial void LogRejected(ILogger logger, string method, string path, int seconds);
}
