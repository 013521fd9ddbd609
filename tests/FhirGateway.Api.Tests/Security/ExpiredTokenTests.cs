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
        using var http = new HttpClient();
        // The gateway's first bearer token makes it fetch the issuer's metadata and keys, which on a loaded machine
        // can outlast a 3-second token (a CI run saw the fresh token refused). That first call only warms the
        // gateway; the token under test is issued after it.
        var warming = await SandboxUserToken.GetAsync(_sandbox!, SecurityFixture.Audience, "patient");
        (await http.SendAsync(GatewayRequests.Get(_gateway!.BaseAddress, "/auth/status", warming))).Dispose();

        var token = await SandboxUserToken.GetAsync(_sandbox!, SecurityFixture.Audience, "patient");
        using (var fresh = await http.SendAsync(GatewayRequests.Get(_gateway.BaseAddress, "/auth/status", token)))
        {
            Assert.True(fresh.StatusCode == HttpStatusCode.OK, $"{(int)fresh.StatusCode} {fresh.Headers.WwwAuthenticate}");
        }

        // The token lives three seconds (exp has whole-second precision): wait past it once.
        await Task.Delay(TimeSpan.FromSeconds(4));
        using var expired = await http.SendAsync(GatewayRequests.Get(_gateway.BaseAddress, "/auth/status", token));

        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Contains("expired", Assert.Single(expired.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
    }

    public Task DisposeAsync() => Disposables.DisposeInOrderAsync(_gateway, _sandbox);
}
