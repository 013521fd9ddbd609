using System.Net;
using FhirGateway.Core.Security;
using Microsoft.AspNetCore.Http;

namespace FhirGateway.Core.Tests.Security;

/// <summary>The limiter both front-ends use: one window per client IP, refused past the permits, open again once the window has passed.</summary>
public sealed class RateLimitWindowTests
{
    [Fact]
    public async Task PastThePermits_Refused_ThenOpenAgainAfterTheWindow_AndAnotherIpHasItsOwn()
    {
        using var limiter = GatewayRateLimits.Create(new GatewaySecurityOptions { AnonymousPermits = 2, Window = TimeSpan.FromSeconds(1) });
        var first = Request("10.0.0.1");

        Assert.True(Acquire(limiter, first));
        Assert.True(Acquire(limiter, first));
        Assert.False(Acquire(limiter, first));
        Assert.True(Acquire(limiter, Request("10.0.0.2")));

        // Replenished by the partitioned limiter's own timer (the windows have none): poll, bounded.
        var open = false;
        for (var i = 0; i < 50 && !open; i++)
        {
            await Task.Delay(100);
            open = Acquire(limiter, first);
        }

        Assert.True(open, "the window never opened again");
    }

    [Fact]
    public void HealthProbes_NeverLimited()
    {
        using var limiter = GatewayRateLimits.Create(new GatewaySecurityOptions { AnonymousPermits = 1, Window = TimeSpan.FromMinutes(1) });
        var probe = Request("10.0.0.3", "/health");

        Assert.All(Enumerable.Range(0, 5), _ => Assert.True(Acquire(limiter, probe)));
    }

    private static bool Acquire(System.Threading.RateLimiting.PartitionedRateLimiter<HttpContext> limiter, HttpContext context)
    {
        using var lease = limiter.AttemptAcquire(context);
        return lease.IsAcquired;
    }

    private static DefaultHttpContext Request(string ip, string path = "/api/platforms")
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Connection.RemoteIpAddress = IPAddress.Parse(ip);
        return context;
    }
}
