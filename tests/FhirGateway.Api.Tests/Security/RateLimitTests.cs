using System.Net;

namespace FhirGateway.Api.Tests.Security;

/// <summary>Rate limits: a window per client IP without a user, one per user; 429 with Retry-After past it.</summary>
public sealed class RateLimitTests(SecurityFixture fixture) : IClassFixture<SecurityFixture>
{
    [Fact]
    public async Task Get_PastTheLimit_Returns429WithRetryAfterThenTheUserHasItsOwnWindow()
    {
        HttpStatusCode last = HttpStatusCode.OK;
        for (var i = 0; i <= SecurityFixture.Permits && last != HttpStatusCode.TooManyRequests; i++)
        {
            using var response = await fixture.Http.GetAsync(new Uri(fixture.Limited.BaseAddress, "/api/platforms"));
            last = response.StatusCode;
            if (last == HttpStatusCode.TooManyRequests)
            {
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 without a Retry-After in seconds");
                Assert.Equal("throttled", (await GatewayRequests.OutcomeAsync(response)).Code);
            }
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last);
        using var health = await fixture.Http.GetAsync(new Uri(fixture.Limited.BaseAddress, "/health"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        // Same IP, but an authenticated user: its own window, not the exhausted anonymous one.
        using var request = GatewayRequests.Get(fixture.Limited.BaseAddress, "/api/platforms", await fixture.TokenAsync("patient"));
        using var asUser = await fixture.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, asUser.StatusCode);
    }
}
