using System.Net;
using FhirGateway.Core.Identity;

namespace FhirGateway.Api.Tests.Security;

/// <summary>With <c>FHIR_GATEWAY_AUTH_REQUIRED=true</c>: a user token or 401; health and the OAuth callback stay open.</summary>
public sealed class RequiredModeTests(SecurityFixture fixture) : IClassFixture<SecurityFixture>
{
    [Theory]
    [InlineData("/auth/status")]
    [InlineData("/auth/local-sandbox/login?redirect=false")]
    [InlineData("/api/fhir/local-sandbox/Patient")]
    [InlineData("/api/platforms")]
    public async Task Get_Anonymous_Returns401WithBearerChallenge(string path)
    {
        using var request = GatewayRequests.Get(fixture.Required.BaseAddress, path);
        using var response = await fixture.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        var (code, diagnostics) = await GatewayRequests.OutcomeAsync(response);
        Assert.Equal("login", code);
        Assert.Contains(fixture.Issuer, diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthStatus_GatewayKeyAlone_Returns401()
    {
        using var request = GatewayRequests.Get(fixture.Required.BaseAddress, "/auth/status", key: GatewayKey.Create());
        using var response = await fixture.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AuthStatus_UserToken_Returns200()
    {
        using var request = GatewayRequests.Get(fixture.Required.BaseAddress, "/auth/status", await fixture.TokenAsync("patient"));
        using var response = await fixture.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Health_Anonymous_StaysOpen()
    {
        using var response = await fixture.Http.GetAsync(new Uri(fixture.Required.BaseAddress, "/health"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OAuthCallback_Anonymous_StaysOpen()
    {
        // A browser redirect never carries a bearer token: the callback answers on its own terms (unknown state: 400 page).
        using var response = await fixture.Http.GetAsync(new Uri(fixture.Required.BaseAddress, "/oauth/callback?code=x&state=unknown"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
