using System.Diagnostics;
using System.Net;
using System.Text.Json;
using FhirGateway.Api.Tests.Auth;
using FhirGateway.Testing;
using Xunit.Abstractions;

namespace FhirGateway.Api.Tests.Faults;

/// <summary>The token store's real redis-server killed, or frozen, and brought back under a connected session.</summary>
public sealed class RedisOutageTests(RedisOutageFixture fixture, ITestOutputHelper output) : IClassFixture<RedisOutageFixture>
{
    private static readonly string PatientUrl = $"/api/fhir/local-sandbox/Patient/{SandboxServers.PatientId}";

    /// <summary>Issue 7: a Redis outage answers 503 within 2 s (the store's command timeout is 1 s).</summary>
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(2);

    /// <summary>Issue 7: everything works again within 5 s of Redis coming back.</summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task RedisKilledThenRestarted_503Within2sAndUnhealthy_ThenTheSameConnectionWorksWithin5s()
    {
        using var browser = await ConnectedBrowserAsync();

        // A crash: the socket closes at once, so the client soon knows Redis is gone. Until the replica has noticed
        // (the dropped subscription takes its token cache out of service), a read may still come from the cache.
        await fixture.Redis.StopAsync();
        try
        {
            await AssertCacheLeavesServiceAsync(browser);
            await AssertUnavailableAsync(browser, "killed", cachedReadsAllowed: false);
        }
        finally
        {
            await fixture.Redis.RestartAsync();
        }

        await AssertRecoversAsync(browser, "restart");
    }

    [Fact]
    public async Task RedisFrozen_AnswersWithin2s_LoginStartAndHealth503_ThenTheSameConnectionWorksWithin5sOfThawing()
    {
        using var browser = await ConnectedBrowserAsync();

        // A hang or partition: the socket stays open and commands go unanswered, so only the timeout ends them.
        await fixture.Redis.FreezeAsync();
        try
        {
            // The replica's token cache stays in service while its subscription is not known to be broken, so a
            // read may still be served; a login start must write to Redis.
            await AssertUnavailableAsync(browser, "frozen", cachedReadsAllowed: true);
        }
        finally
        {
            await fixture.Redis.ThawAsync();
        }

        await AssertRecoversAsync(browser, "thaw");
    }

    private async Task<Browser> ConnectedBrowserAsync()
    {
        var browser = new Browser(fixture.Gateway.BaseAddress);
        // Whatever ran before (another outage test, which may have failed half-way), start from a healthy gateway.
        Assert.True(await FaultWait.UntilOkAsync(browser.Http, "/health", TimeSpan.FromSeconds(20)), "the gateway never became healthy before the test");
        using (var login = await browser.GetAsync("/auth/local-sandbox/login"))
        {
            Assert.True(login.StatusCode == HttpStatusCode.Redirect, $"login start answered {(int)login.StatusCode}, not a redirect to the sandbox");
            using var sandbox = new SandboxLogin();
            var callback = await sandbox.AuthorizeAsync(login.Headers.Location!, fixture.CallbackUri);
            using var page = await browser.GetAsync(callback.PathAndQuery);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        using var before = await browser.GetAsync(PatientUrl);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        return browser;
    }

    /// <summary>
    /// Reads right after a kill: 200s from the token cache for as long as the replica has not noticed, then a 503
    /// within <see cref="AnswerBound"/> of the kill, never anything else.
    /// </summary>
    private async Task AssertCacheLeavesServiceAsync(Browser browser)
    {
        var sinceKill = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            using var read = await browser.GetAsync(PatientUrl);
            output.WriteLine($"REST read right after the kill, #{attempt}: {(int)read.StatusCode} at {sinceKill.Elapsed.TotalMilliseconds:F0} ms");
            if (read.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                return;
            }

            Assert.True(read.StatusCode == HttpStatusCode.OK, $"{(int)read.StatusCode}: {await read.Content.ReadAsStringAsync()}");
            Assert.True(sinceKill.Elapsed < AnswerBound, $"reads were still served from the token cache {sinceKill.Elapsed} after Redis was killed");
            await Task.Delay(20);
        }
    }

    /// <summary>
    /// The first request right after the fault, then more while it lasts: each a 503 OperationOutcome in time (or,
    /// when <paramref name="cachedReadsAllowed"/>, a 200 from the token cache); a login start and /health 503 in time.
    /// </summary>
    private async Task AssertUnavailableAsync(Browser browser, string fault, bool cachedReadsAllowed)
    {
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var started = Stopwatch.StartNew();
            using var down = await browser.GetAsync(PatientUrl);
            var answeredIn = started.Elapsed;
            var body = await down.Content.ReadAsStringAsync();
            output.WriteLine($"REST read #{attempt} with Redis {fault}: {(int)down.StatusCode} in {answeredIn.TotalMilliseconds:F0} ms");
            Assert.True(answeredIn < AnswerBound, $"read #{attempt} answered after {answeredIn}");
            if (cachedReadsAllowed && down.StatusCode == HttpStatusCode.OK)
            {
                continue;
            }

            Assert.True(down.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)down.StatusCode}: {body}");
            Assert.Equal("application/fhir+json", down.Content.Headers.ContentType?.MediaType);
            var outcome = JsonDocument.Parse(body).RootElement;
            Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
            Assert.Contains("token store unavailable", outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString(), StringComparison.OrdinalIgnoreCase);
        }

        var loginStarted = Stopwatch.StartNew();
        using (var login = await browser.GetAsync("/auth/local-sandbox/login"))
        {
            output.WriteLine($"login start with Redis {fault}: {(int)login.StatusCode} in {loginStarted.Elapsed.TotalMilliseconds:F0} ms");
            Assert.True(login.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)login.StatusCode}: {await login.Content.ReadAsStringAsync()}");
            Assert.True(loginStarted.Elapsed < AnswerBound, $"the login start answered after {loginStarted.Elapsed}");
        }

        var healthStarted = Stopwatch.StartNew();
        using var health = await browser.GetAsync("/health");
        output.WriteLine($"/health with Redis {fault}: {(int)health.StatusCode} in {healthStarted.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.True(healthStarted.Elapsed < AnswerBound, $"/health answered after {healthStarted.Elapsed}");
    }

    /// <summary>
    /// From Redis being back (restarted and ready, or thawed): the connection made before the fault reads 200 and
    /// /health is healthy within the bound. Asked well past it, so a slow recovery shows its time.
    /// </summary>
    private async Task AssertRecoversAsync(Browser browser, string since)
    {
        var back = Stopwatch.StartNew();
        var readRecovered = await FaultWait.UntilOkAsync(browser.Http, PatientUrl, TimeSpan.FromSeconds(20));
        var readIn = back.Elapsed;
        var healthRecovered = await FaultWait.UntilOkAsync(browser.Http, "/health", TimeSpan.FromSeconds(20));
        var healthIn = back.Elapsed;
        output.WriteLine($"after {since}: the connection made before the outage read 200 after {readIn.TotalMilliseconds:F0} ms, /health 200 after {healthIn.TotalMilliseconds:F0} ms");
        Assert.True(readRecovered, "the connection made before the outage never answered 200 again: lost, or Redis never reconnected");
        Assert.True(healthRecovered, "/health never became healthy again");
        Assert.True(readIn < RecoveryBound, $"the read answered 200 only {readIn} after Redis came back");
        Assert.True(healthIn < RecoveryBound, $"/health was healthy only {healthIn} after Redis came back");
    }
}
