using System.Net;
using FhirGateway.Api.Tests.Auth;
using Microsoft.Extensions.Options;

namespace FhirGateway.Api.Tests.Security;

/// <summary>Security headers on every answer, the session cookie's flags, and CORS from the configured origins only.</summary>
public sealed class HeadersTests(SecurityFixture fixture) : IClassFixture<SecurityFixture>
{
    [Theory]
    [InlineData("/health")]
    [InlineData("/api/platforms")]
    [InlineData("/api/platforms/no-such-platform")]
    [InlineData("/oauth/callback?state=unknown")]
    public async Task Get_AnyAnswer_CarriesSecurityHeaders(string path)
    {
        using var response = await fixture.Http.GetAsync(new Uri(fixture.Open.BaseAddress, path));

        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Contains("frame-ancestors 'none'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_NewBrowser_SessionCookieIsHttpOnlyAndLax()
    {
        using var response = await fixture.Http.GetAsync(new Uri(fixture.Open.BaseAddress, "/auth/local-sandbox/login?redirect=false"));

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("fhirgw_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Preflight_AllowedOrigin_IsAllowed()
    {
        using var response = await PreflightAsync(SecurityFixture.AllowedOrigin);

        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal(SecurityFixture.AllowedOrigin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("authorization", Header(response, "Access-Control-Allow-Headers"), StringComparison.OrdinalIgnoreCase);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task Preflight_OtherOrigin_IsRefused()
    {
        using var response = await PreflightAsync("https://evil.example");

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Start_AnyOriginWithCredentials_FailsNamingTheSettings()
    {
        await using var gateway = new GatewayServer(fixture.Sandbox, Testing.FreePort.Next(), null, new Dictionary<string, string>
        {
            ["FHIR_GATEWAY_CORS_ORIGINS"] = "*",
            ["FHIR_GATEWAY_CORS_ALLOW_CREDENTIALS"] = "true",
        });

        var failure = Assert.ThrowsAny<Exception>(gateway.StartServer);

        var message = (failure as OptionsValidationException ?? failure.InnerException as OptionsValidationException ?? throw failure).Message;
        Assert.Contains("FHIR_GATEWAY_CORS_ORIGINS", message, StringComparison.Ordinal);
        Assert.Contains("FHIR_GATEWAY_CORS_ALLOW_CREDENTIALS", message, StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> PreflightAsync(string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, new Uri(fixture.Open.BaseAddress, "/auth/status"));
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "authorization");
        return await fixture.Http.SendAsync(request);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : throw new Xunit.Sdk.XunitException($"no {name} header on {(int)response.StatusCode}");
}
