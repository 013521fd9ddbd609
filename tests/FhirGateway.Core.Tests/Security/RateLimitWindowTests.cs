using System.Net;
using FhirGateway.Core.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FhirGateway.Core.Tests.Security;

/// <summary>The limiter both front-ends use: one window per client IP, refused past the permits, open again once the window has passed.</summary>
public sealed class RateLimitWindowTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Fact]
    public void PastThePermits_RefusedWithTheSecondsLeft_ThenOpenAgainAfterTheWindow_AndAnotherIpHasItsOwn()
    {
        using var limiter = Limiter(permits: 2, TimeSpan.FromSeconds(60));
        var first = Request("10.0.0.1");

        Assert.True(limiter.TryAcquire(first, out _));
        Assert.True(limiter.TryAcquire(first, out _));
        Assert.False(limiter.TryAcquire(first, out var retryAfter));
        Assert.InRange(retryAfter, 1, 60);
        Assert.True(limiter.TryAcquire(Request("10.0.0.2"), out _));

        _time.Advance(TimeSpan.FromSeconds(retryAfter - 1));
        Assert.False(limiter.TryAcquire(first, out var later));
        Assert.True(later <= 1, $"retry after {later} s with a second left");
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.TryAcquire(first, out _));
    }

    [Fact]
    public void HealthProbes_NeverLimited()
    {
        using var limiter = Limiter(permits: 1, TimeSpan.FromMinutes(1));
        var probe = Request("10.0.0.3", "/health");

        Assert.All(Enumerable.Range(0, 5), _ => Assert.True(limiter.TryAcquire(probe, out _)));
    }

    [Fact]
    public void IdleClients_DroppedAfterAWholeWindowUnused()
    {
        using var limiter = Limiter(permits: 5, TimeSpan.FromSeconds(10));
        Assert.True(limiter.TryAcquire(Request("10.0.0.4"), out _));
        Assert.True(limiter.TryAcquire(Request("10.0.0.5"), out _));
        Assert.Equal(2, limiter.Partitions);

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(limiter.TryAcquire(Request("10.0.0.5"), out _));
        Assert.Equal(2, limiter.Partitions);
        _time.Advance(TimeSpan.FromSeconds(10));

        // At the sweep, 10.0.0.5 was seen in the last window and is kept; 10.0.0.4, idle since the one before, is gone.
        Assert.Equal(1, limiter.Partitions);
    }

    private GatewayRateLimits Limiter(int permits, TimeSpan window) =>
        new(Options.Create(new GatewaySecurityOptions { AnonymousPermits = permits, Window = window }), _time);

    private static DefaultHttpContext Request(string ip, string path = "/api/platforms")
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Connection.RemoteIpAddress = IPAddress.Parse(ip);
        return context;
    }
}
