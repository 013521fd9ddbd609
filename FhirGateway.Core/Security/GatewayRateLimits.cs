using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using FhirGateway.Core.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FhirGateway.Core.Security;

/// <summary>
/// Fixed-window rate limits, kept in each replica's memory. An authenticated user has one window per replica,
/// keyed by a hash of the owner; everything else (a gateway key, a cookie, nobody) and the OAuth callback share
/// one window per client IP, because keys and sessions cost nothing to mint and so cannot be the unit of a limit.
/// </summary>
internal static partial class GatewayRateLimits
{
    private static readonly PathString[] Unlimited = ["/health", "/alive"];
    private static readonly PathString Callback = "/oauth/callback";

    public static PartitionedRateLimiter<HttpContext> Create(GatewaySecurityOptions options)
    {
        // Built once, and the key is a struct: choosing a partition allocates nothing (GetFixedWindowLimiter would
        // wrap its factory in a new closure on every request).
        Func<Partition, RateLimiter> userWindow = _ => new FixedWindowRateLimiter(Window(options.UserPermits, options.Window));
        Func<Partition, RateLimiter> anonymousWindow = _ => new FixedWindowRateLimiter(Window(options.AnonymousPermits, options.Window));
        return PartitionedRateLimiter.Create<HttpContext, Partition>(context =>
        {
            var path = context.Request.Path;
            if (Unlimited.Any(open => path.StartsWithSegments(open)))
            {
                return RateLimitPartition.GetNoLimiter(default(Partition));
            }

            if (!path.StartsWithSegments(Callback) && GatewayUser.OwnerOf(context) is { } owner)
            {
                return RateLimitPartition.Get(new Partition(owner.Pseudonym, null), userWindow);
            }

            return RateLimitPartition.Get(new Partition(null, context.Connection.RemoteIpAddress ?? IPAddress.None), anonymousWindow);
        });
    }

    /// <summary>A user's window (by the pseudonym of the owner), a client IP's, or (both null) no limit.</summary>
    private readonly record struct Partition(string? User, IPAddress? Address);

    /// <summary>RFC 6585 §4: 429 with <c>Retry-After</c> (RFC 9110 §10.2.3), in the front-end's error format.</summary>
    public static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        LogRejected(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GatewayRateLimits)), context.Request.Method, context.Request.Path, seconds);
        await context.RequestServices.GetRequiredService<IGatewayRefusal>().WriteAsync(
            context, StatusCodes.Status429TooManyRequests, "throttled", $"Too many requests; retry after {seconds} seconds.");
    }

    /// <summary>No timer of its own: the partitioned limiter replenishes all its windows from one.</summary>
    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) =>
        new() { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = false };

    [LoggerMessage(EventId = 7100, Level = LogLevel.Warning, Message = "Rate limit reached for {Method} {Path}; retry after {Seconds} s.")]
    private static partial void LogRejected(ILogger logger, string method, string path, int seconds);
}
