using System.Net;
using FhirGateway.Api.Tests.Auth;
using FhirGateway.Testing;

namespace FhirGateway.Api.Tests.Security;

/// <summary>An expired token is refused: a sandbox issuing 3-second tokens, a gateway tolerating no clock skew.</summary>
public sealed class ExpiredTokenTests : IAsyncLifetime
{
    private SandboxServers? _sandbox;
    private GatewayServer? _gateway;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxServers.StartAsync(new SandboxOptions { GatewayAudience = SecurityFixture.Audience, AccessTokenLifetime = TimeSpan.FromSeconds(3) });
        _gateway = new GatewayServer(_sandbox, FreePort.Next(), null, new Dictionary<string, string>
        {
            ["FHIR_GATEWAY_AUTH_ISSUER"] = _sandbox.AuthIssuer.AbsoluteUri.TrimEnd('/'),
            ["FHIR_GATEWAY_AUTH_AUDIENCE"] = SecurityFixture.Audience,
            ["FHIR_GATEWAY_AUTH_CLOCK_SKEW_SECONDS"] = "0",
        });
        _gateway.StartServer();
    }

    [Fact]
    public async Task AuthStatus_ExpiredToken_Returns401SayingExpired()
    {
        var token = await SandboxUserToken.GetAsync(_sandbox!, SecurityFixture.Audience, "patient");
        using var http = new HttpClient();
        using (var fresh = await http.SendAsync(GatewayRequests.Get(_gateway!.BaseAddress, "/auth/status", token)))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        // The token lives three seconds (exp has whole-second precision): wait past it once.
        await Task.Delay(TimeSpan.FromSeconds(4));
        using var expired = await http.SendAsync(GatewayRequests.Get(_gateway.BaseAddress, "/auth/status", token));

        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Contains("expired", Assert.Single(expired.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
    }

    public Task DisposeAsync() => Disposables.DisposeInOrderAsync(_gateway, _sandbox);
}
