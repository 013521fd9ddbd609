using System.Diagnostics;
using System.Net;
using System.Text.Json;
using FhirGateway.Api.Tests.Auth;
using FhirGateway.Testing;

namespace FhirGateway.Api.Tests.Faults;

/// <summary>The token store's real redis-server killed and restarted under a connected session.</summary>
public sealed class RedisOutageTests(RedisOutageFixture fixture) : IClassFixture<RedisOutageFixture>
{
    private static readonly string PatientUrl = $"/api/fhir/local-sandbox/Patient/{SandboxServers.PatientId}";

    [Fact]
    public async Task RedisKilledThenRestarted_503QuicklyAndUnhealthy_ThenTheSameConnectionWorksAgain()
    {
        using var browser = new Browser(fixture.Gateway.BaseAddress);
        using (var login = await browser.GetAsync("/auth/local-sandbox/login"))
        {
            using var sandbox = new SandboxLogin();
            var callback = await sandbox.AuthorizeAsync(login.Headers.Location!, fixture.CallbackUri);
            using var page = await browser.GetAsync(callback.PathAndQuery);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        using (var before = await browser.GetAsync(PatientUrl))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await fixture.Redis.StopAsync();
        try
        {
            var started = Stopwatch.StartNew();
            using var down = await browser.GetAsync(PatientUrl);
            var answeredIn = started.Elapsed;
            var body = await down.Content.ReadAsStringAsync();
            Assert.True(down.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)down.StatusCode}: {body}");
            Assert.Equal("application/fhir+json", down.Content.Headers.ContentType?.MediaType);
            var outcome = JsonDocument.Parse(body).RootElement;
            Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
            Assert.Contains("token store unavailable", outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString(), StringComparison.OrdinalIgnoreCase);
            // The store's command timeout is 1 s; the bound is loose for a loaded CI machine, and still far from a hang.
            Assert.True(answeredIn < TimeSpan.FromSeconds(5), $"answered after {answeredIn}");

            using var health = await browser.GetAsync("/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }
        finally
        {
            await fixture.Redis.RestartAsync();
        }

        var recovered = await WaitForAsync(browser, "/health", TimeSpan.FromSeconds(10));
        Assert.True(recovered, "/health did not become healthy within 10 s of Redis coming back");
        using var after = await browser.GetAsync(PatientUrl);
        Assert.True(after.StatusCode == HttpStatusCode.OK, $"the connection made before the outage is gone: {(int)after.StatusCode} {await after.Content.ReadAsStringAsync()}");
    }

    /// <summary>Asks <paramref name="path"/> until it answers 200, or the time is up.</summary>
    private static async Task<bool> WaitForAsync(Browser browser, string path, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        do
        {
            using var response = await browser.GetAsync(path);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return true;
            }
        }
        while (await WaitTickAsync(tick, deadline.Token));

        return false;
    }

    private static async Task<bool> WaitTickAsync(PeriodicTimer tick, CancellationToken cancellationToken)
    {
        try
        {
            return await tick.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
