using System.Diagnostics;
using System.Net;
using System.Text.Json;
using FhirGateway.Api.Tests.Fhir;
using FhirGateway.Testing;

namespace FhirGateway.Api.Tests.Faults;

/// <summary>Upstreams that answer garbage or never answer, against the gateway on real Kestrel.</summary>
public sealed class UpstreamFaultTests(FaultsFixture fixture) : IClassFixture<FaultsFixture>
{
    private const string Garbage = "/api/fhir/" + FaultsFixture.GarbagePlatform;

    [Fact]
    public async Task GarbageUpstream_ConnectionClosedBeforeContentLength_Returns502OperationOutcome()
    {
        using var session = new FhirSession(fixture);

        // A search Bundle (read whole to rewrite its links) whose connection closes before the promised length.
        using var response = await session.Http.GetAsync(new Uri(Garbage + "/Observation?code=x", UriKind.Relative));

        await AssertOutcomeAsync(response, HttpStatusCode.BadGateway);
    }

    [Fact]
    public async Task GarbageUpstream_TruncatedSearchBundle_Returns502OperationOutcome()
    {
        using var session = new FhirSession(fixture);

        using var response = await session.Http.GetAsync(new Uri(Garbage + "/Patient?name=x", UriKind.Relative));

        await AssertOutcomeAsync(response, HttpStatusCode.BadGateway);
    }

    [Fact]
    public async Task GarbageUpstream_HtmlServerError_Returns502WithoutItsContent()
    {
        using var session = new FhirSession(fixture);

        using var response = await session.Http.GetAsync(new Uri(Garbage + "/Patient/html", UriKind.Relative));

        var body = await AssertOutcomeAsync(response, HttpStatusCode.BadGateway);
        Assert.DoesNotContain("stack trace", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FiftyHangingRequests_HealthAndAnotherPlatformStillAnswer()
    {
        using var session = new FhirSession(fixture);
        // Past the process's cold start (first JIT, first singletons): this is about concurrency, not start-up.
        (await session.Http.GetAsync(new Uri(Garbage + "/Patient/html", UriKind.Relative))).Dispose();
        var started = Stopwatch.StartNew();
        var hanging = Enumerable.Range(0, 50)
            .Select(i => session.Http.GetAsync(new Uri($"/api/fhir/hanging/Patient/h{i}", UriKind.Relative)))
            .ToList();
        await Task.Delay(200); // let them reach the gateway

        var during = Stopwatch.StartNew();
        using var health = await session.Http.GetAsync(new Uri("/health", UriKind.Relative));
        var healthElapsed = during.Elapsed;
        using var other = await session.Http.GetAsync(new Uri(Garbage + "/Patient/html", UriKind.Relative));
        var duringElapsed = during.Elapsed;
        var answers = await Task.WhenAll(hanging);
        var allDone = started.Elapsed;

        Assert.True(health.StatusCode is HttpStatusCode.OK, $"/health answered {(int)health.StatusCode} during the hanging requests");
        Assert.Equal(HttpStatusCode.BadGateway, other.StatusCode);
        // Each answers in milliseconds when idle; the bound is loose for a loaded CI machine, and well under the
        // hanging requests' own 1 s timeout, so neither waited for them.
        Assert.True(duringElapsed < TimeSpan.FromSeconds(0.8), $"health ({healthElapsed}) and another platform took {duringElapsed} during 50 hanging requests; threads {ThreadPool.ThreadCount}, pending {ThreadPool.PendingWorkItemCount}");
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.GatewayTimeout, a.StatusCode));
        Assert.True(allDone < TimeSpan.FromSeconds(5), $"50 hanging requests with a 1 s timeout took {allDone}");
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    private static async Task<string> AssertOutcomeAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("OperationOutcome", JsonDocument.Parse(body).RootElement.GetProperty("resourceType").GetString());
        return body;
    }
}
