using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FhirGateway.Api.Tests.Auth;
using FhirGateway.Core.Identity;
using FhirGateway.Core.Tokens;
using FhirGateway.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FhirGateway.Api.Tests.Security;

/// <summary>
/// Bearer tokens from the identity provider over REST: the user owns connections under <c>user:…</c> from any
/// device, and no identity (another user, a gateway key, a browser session) can use, see or revoke another's.
/// </summary>
public sealed class IdentityTests(SecurityFixture fixture) : IClassFixture<SecurityFixture>
{
    [Fact]
    public async Task Login_ValidToken_ConnectionIsOwnedByTheUser()
    {
        var token = await fixture.TokenAsync("patient");

        await ConnectAsync(fixture.Open, token: token);

        var store = fixture.Open.Services.GetRequiredService<ITokenStore>();
        Assert.NotNull(await store.GetAsync(OwnerKey.ForUser(fixture.Issuer, "patient"), "local-sandbox"));
        Assert.Contains("local-sandbox", await GatewayRequests.ConnectionsAsync(fixture.Http, fixture.Open.BaseAddress, token));
    }

    [Fact]
    public async Task AuthStatus_SecondTokenOfTheSameUser_SeesTheSameConnections()
    {
        await ConnectAsync(fixture.Open, token: await fixture.TokenAsync("patient"));
        // Another device: a separate login, so a different access token for the same subject.
        var otherDevice = await SandboxUserToken.GetAsync(fixture.Sandbox, SecurityFixture.Audience, "patient");

        Assert.Contains("local-sandbox", await GatewayRequests.ConnectionsAsync(fixture.Http, fixture.Open.BaseAddress, otherDevice));
    }

    [Fact]
    public async Task OtherUser_CannotSeeUseOrRevokeTheConnection()
    {
        var alice = await fixture.TokenAsync("patient");
        var carol = await fixture.TokenAsync("clinician");
        await ConnectAsync(fixture.Open, token: alice);

        Assert.Empty(await GatewayRequests.ConnectionsAsync(fixture.Http, fixture.Open.BaseAddress, carol));
        using (var read = GatewayRequests.Get(fixture.Open.BaseAddress, $"/api/fhir/local-sandbox/Patient/{SandboxServers.PatientId}", carol))
        using (var answer = await fixture.Http.SendAsync(read))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
            Assert.Equal("login", (await GatewayRequests.OutcomeAsync(answer)).Code);
        }

        Assert.False(await LogoutAsync(fixture.Open, token: carol));
        Assert.Contains("local-sandbox", await GatewayRequests.ConnectionsAsync(fixture.Http, fixture.Open.BaseAddress, alice));
    }

    [Fact]
    public async Task GatewayKey_CannotSeeOrRevokeAUsersConnection()
    {
        var alice = await fixture.TokenAsync("patient");
        await ConnectAsync(fixture.Open, token: alice);
        var key = GatewayKey.Create();

        Assert.Empty(await GatewayRequests.ConnectionsAsync(fixture.Http, fixture.Open.BaseAddress, key: key));
        Assert.False(await LogoutAsync(fixture.Open, key: key));
        Assert.Contains("local-sandbox", await GatewayRequests.ConnectionsAsync(fixture.Http, fixture.Open.BaseAddress, alice));
    }

    [Fact]
    public async Task User_CannotSeeAGatewayKeysConnection()
    {
        var key = GatewayKey.Create();
        await ConnectAsync(fixture.Open, key: key);

        Assert.Empty(await GatewayRequests.ConnectionsAsync(fixture.Http, fixture.Open.BaseAddress, await fixture.TokenAsync("clinician")));
        Assert.Contains("local-sandbox", await GatewayRequests.ConnectionsAsync(fixture.Http, fixture.Open.BaseAddress, key: key));
    }

    [Fact]
    public async Task BrowserSession_CannotSeeOrRevokeAGatewayKeysConnection()
    {
        var key = GatewayKey.Create();
        await ConnectAsync(fixture.Open, key: key);
        using var browser = new Browser(fixture.Open.BaseAddress);
        using (await browser.GetAsync("/auth/local-sandbox/login?redirect=false"))
        {
        }

        using var status = await browser.GetAsync("/auth/status");
        var body = await status.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Empty(body.GetProperty("connections").EnumerateArray());
        using var logout = await browser.Http.PostAsync("/auth/local-sandbox/logout", null);
        Assert.False((await logout.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("removed").GetBoolean());
        Assert.Contains("local-sandbox", await GatewayRequests.ConnectionsAsync(fixture.Http, fixture.Open.BaseAddress, key: key));
    }

    /// <summary>Connects the token's user or the key to the sandbox platform: REST login, the sandbox form, the callback (no cookie).</summary>
    private async Task ConnectAsync(GatewayServer gateway, string? token = null, string? key = null)
    {
        using var login = GatewayRequests.Get(gateway.BaseAddress, "/auth/local-sandbox/login?redirect=false", token, key);
        using var started = await fixture.Http.SendAsync(login);
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        Assert.False(started.Headers.Contains("Set-Cookie"), "a login by a user or a key must not start a browser session");
        var url = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("authorization_url").GetString()!;

        using var sandbox = new SandboxLogin();
        var callback = await sandbox.AuthorizeAsync(new Uri(url), GatewayServer.CallbackFor(gateway.Port));
        using var page = await fixture.Http.GetAsync(callback);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    private async Task<bool> LogoutAsync(GatewayServer gateway, string? token = null, string? key = null)
    {
        using var request = GatewayRequests.Build(HttpMethod.Post, gateway.BaseAddress, "/auth/local-sandbox/logout", token, key);
        using var response = await fixture.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("removed").GetBoolean();
    }
}
