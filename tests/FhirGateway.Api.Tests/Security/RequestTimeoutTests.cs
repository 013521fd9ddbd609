using System.Diagnostics;
using System.Net;
using System.Text.Json;
using FhirGateway.Api.Tests.Fhir;

namespace FhirGateway.Api.Tests.Security;

/// <summary>The FHIR fixture with a 1 s request timeout and a hanging platform that would wait 30 s.</summary>
public sealed class RequestTimeoutFixture : FhirGatewayFixture
{
    protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings =>
    [
        new("FHIR_GATEWAY_REQUEST_TIMEOUT_SECONDS", "1"),
        new("FHIR_GATEWAY_PLATFORM_HANGING_FHIR_TIMEOUT_SECONDS", "30"),
    ];
}

/// <summary>FHIR_GATEWAY_REQUEST_TIMEOUT_SECONDS bounds a whole request, whatever a platform's own timeout is.</summary>
public sealed class RequestTimeoutTests(RequestTimeoutFixture fixture) : IClassFixture<RequestTimeoutFixture>
{
    [Theory]
    [InlineData("/api/fhir/hanging/Patient/1")] // read: the forwarder
    [InlineData("/api/fhir/hanging/Patient?name=slow")] // search: the FHIR client
    public async Task PlatformSlowerThanTheRequestTimeout_504OperationOutcomeNamingIt_LongBeforeThePlatformTimeout(string path)
    {
        using var http = new HttpClient { BaseAddress = fixture.Gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var started = Stopwatch.StartNew();

        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        var elapsed = started.Elapsed;

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.GatewayTimeout, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var outcome = JsonDocument.Parse(body).RootElement;
        Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
        Assert.Equal("timeout", outcome.GetProperty("issue")[0].GetProperty("code").GetString());
        Assert.Contains("within 1 seconds", outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString(), StringComparison.Ordinal);
        // The platform's own timeout (30 s) did not decide it; the bound is loose for a loaded machine.
        Assert.True(elapsed < TimeSpan.FromSeconds(15), $"answered after {elapsed}");
    }

    [Fact]
    public async Task FastRequests_KeepAnsweringAfterTheTimeoutHasPassed()
    {
        using var session = new FhirSession(fixture);

        // Each request gets its own deadline: ones well within it, spread over more than one timeout, all answer.
        for (var i = 0; i < 6; i++)
        {
            using var response = await session.Http.GetAsync(new Uri("/api/fhir/raw/Patient/raw-1", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await Task.Delay(300);
        }
    }

    [Fact]
    public async Task LongPollWithItsOwnBound_NotCutByTheRequestTimeout()
    {
        using var session = new FhirSession(fixture);
        // The login is bounded by this fixture's 1 s request timeout like any request, and its first call fetches
        // the platform's SMART configuration: on a loaded machine that can take longer (a 504, and no session cookie,
        // so the wait below would answer not_started). The subject here is the wait, so the login may be tried again.
        HttpResponseMessage? login = null;
        for (var attempt = 1; ; attempt++)
        {
            login?.Dispose();
            login = await session.Browser.GetAsync($"/auth/{FhirGatewayFixture.Payer}/login?redirect=false");
            if (login.StatusCode != HttpStatusCode.GatewayTimeout || attempt == 3)
            {
                break;
            }
        }

        using (login)
        {
            Assert.True(login.IsSuccessStatusCode, $"login: {(int)login.StatusCode} {await login.Content.ReadAsStringAsync()}");
        }

        var started = Stopwatch.StartNew();

        using var response = await session.Browser.GetAsync($"/auth/{FhirGatewayFixture.Payer}/wait?timeout=2.5");

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("pending", JsonDocument.Parse(body).RootElement.GetProperty("status").GetString());
        Assert.True(started.Elapsed >= TimeSpan.FromSeconds(2), $"answered after {started.Elapsed}");
    }
}
