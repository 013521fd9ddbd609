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
    [Fact]
    public async Task PlatformSlowerThanTheRequestTimeout_504OperationOutcomeNamingIt_LongBeforeThePlatformTimeout()
    {
        using var http = new HttpClient { BaseAddress = fixture.Gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var started = Stopwatch.StartNew();

        using var response = await http.GetAsync(new Uri("/api/fhir/hanging/Patient/1", UriKind.Relative));
        var elapsed = started.Elapsed;

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.GatewayTimeout, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        var outcome = JsonDocument.Parse(body).RootElement;
        Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
        Assert.Contains("within 1 seconds", outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString(), StringComparison.Ordinal);
        // The platform's own timeout (30 s) did not decide it; the bound is loose for a loaded machine.
        Assert.True(elapsed < TimeSpan.FromSeconds(15), $"answered after {elapsed}");
    }
}
