using System.Net;
using FhirGateway.Api.Tests.Auth;
using FhirGateway.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

namespace FhirGateway.Api.Tests.Security;

/// <summary>
/// Behind a TLS-terminating ingress: X-Forwarded-Proto turns HSTS on and X-Forwarded-For becomes the client's
/// rate-limit partition, but only when the request comes from a proxy listed in FHIR_GATEWAY_TRUSTED_PROXIES.
/// </summary>
public sealed class ForwardedHeadersTests(SecurityFixture fixture) : IClassFixture<SecurityFixture>
{
    /// <summary>HSTS is never sent for localhost names, so requests name the public host an ingress would pass on.</summary>
    private const string PublicHost = "gateway.example";

    [Fact]
    public async Task TrustedProxy_SaysHttps_AnswerCarriesHsts()
    {
        await using var gateway = StartProduction(new() { ["FHIR_GATEWAY_TRUSTED_PROXIES"] = "127.0.0.1, 10.0.0.0/8" });

        using var response = await SendAsync(gateway, "/api/platforms", proto: "https");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.TryGetValues("Strict-Transport-Security", out var hsts), "no HSTS behind a trusted TLS proxy");
        Assert.Contains("max-age=31536000", Assert.Single(hsts), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoTrustedProxy_ClientSaysHttps_NoHsts()
    {
        await using var gateway = StartProduction([]);

        using var response = await SendAsync(gateway, "/api/platforms", proto: "https");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "a client's own X-Forwarded-Proto was believed");
    }

    [Fact]
    public async Task TrustedProxy_TwoClients_EachHasItsOwnRateLimit()
    {
        await using var gateway = StartLimited(new() { ["FHIR_GATEWAY_TRUSTED_PROXIES"] = "127.0.0.1" });

        for (var i = 0; i < SecurityFixture.Permits; i++)
        {
            using var allowed = await SendAsync(gateway, "/api/platforms", forwardedFor: "203.0.113.1");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var limited = await SendAsync(gateway, "/api/platforms", forwardedFor: "203.0.113.1");
        using var other = await SendAsync(gateway, "/api/platforms", forwardedFor: "203.0.113.2");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task TrustedProxy_ClientPrependsAFakeAddress_StillLimitedAsItself()
    {
        await using var gateway = StartLimited(new() { ["FHIR_GATEWAY_TRUSTED_PROXIES"] = "127.0.0.1" });

        // The proxy appends the address it saw; what the client wrote to the left of it is not believed.
        for (var i = 0; i < SecurityFixture.Permits; i++)
        {
            using var allowed = await SendAsync(gateway, "/api/platforms", forwardedFor: $"198.51.100.{i}, 203.0.113.7");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var limited = await SendAsync(gateway, "/api/platforms", forwardedFor: "198.51.100.99, 203.0.113.7");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
    }

    [Fact]
    public async Task NoTrustedProxy_ClientRotatesForwardedFor_StillLimitedByItsAddress()
    {
        await using var gateway = StartLimited([]);

        for (var i = 0; i < SecurityFixture.Permits; i++)
        {
            using var allowed = await SendAsync(gateway, "/api/platforms", forwardedFor: $"203.0.113.{i}");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var limited = await SendAsync(gateway, "/api/platforms", forwardedFor: "203.0.113.200");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
    }

    [Theory]
    [InlineData("proxy.example")]
    [InlineData("10.0.0.0/99")]
    [InlineData("127.0.0.1,,nonsense")]
    public async Task Start_UnreadableTrustedProxies_FailsNamingTheSetting(string value)
    {
        await using var gateway = new GatewayServer(fixture.Sandbox, FreePort.Next(), null, fixture.Settings(new() { ["FHIR_GATEWAY_TRUSTED_PROXIES"] = value }));

        var failure = Assert.ThrowsAny<Exception>(gateway.StartServer);

        var message = (failure as OptionsValidationException ?? failure.InnerException as OptionsValidationException ?? throw failure).Message;
        Assert.Contains("FHIR_GATEWAY_TRUSTED_PROXIES", message, StringComparison.Ordinal);
    }

    private GatewayServer StartProduction(Dictionary<string, string> settings)
    {
        // No bearer identity: an http issuer (the sandbox's) is refused outside Development.
        var gateway = new GatewayServer(fixture.Sandbox, FreePort.Next(), null, settings, web => web.UseEnvironment("Production"));
        gateway.StartServer();
        return gateway;
    }

    private GatewayServer StartLimited(Dictionary<string, string> settings)
    {
        settings["FHIR_GATEWAY_RATE_LIMIT_ANONYMOUS_PERMITS"] = SecurityFixture.Permits.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["FHIR_GATEWAY_RATE_LIMIT_WINDOW_SECONDS"] = SecurityFixture.WindowSeconds;
        var gateway = new GatewayServer(fixture.Sandbox, FreePort.Next(), null, fixture.Settings(settings));
        gateway.StartServer();
        return gateway;
    }

    private async Task<HttpResponseMessage> SendAsync(GatewayServer gateway, string path, string? proto = null, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.BaseAddress, path));
        request.Headers.Host = PublicHost;
        if (proto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", proto);
        }

        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        return await fixture.Http.SendAsync(request);
    }
}
