using System.Net;
using FhirGateway.Core.Auth;
using FhirGateway.Core.Errors;
using FhirGateway.Core.Platforms;
using FhirGateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FhirGateway.Core.Tests.Auth;

/// <summary>
/// Refresh, its single flight, refused refreshes and logout against the real sandbox, which rotates refresh
/// tokens and revokes the grant when a used one comes back. The gateway's clock is fake so that "the token is
/// about to expire" is exact; the sandbox issues one-hour tokens on its real clock.
/// </summary>
public sealed class SmartRefreshTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private SandboxServers Sandbox => sandbox.Servers;

    [Fact]
    public async Task GetConnectionAsync_WithinRefreshMargin_RefreshesRotatesAndKeepsLaunchContext()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = AuthHarness.Create(AuthHarness.Settings(Sandbox), time);
        var owner = AuthHarness.NewOwner();
        await gateway.LoginAsync(owner);
        var before = (await gateway.Store.GetAsync(owner, AuthHarness.PlatformId))!;
        var unchanged = await gateway.Auth.GetConnectionAsync(owner, AuthHarness.PlatformId);
        Assert.Equal(before.AccessToken, unchanged.AccessToken);

        time.Advance(before.ExpiresAt!.Value - time.GetUtcNow() - TimeSpan.FromSeconds(30));
        var after = await gateway.Auth.GetConnectionAsync(owner, AuthHarness.PlatformId);

        Assert.NotEqual(before.AccessToken, after.AccessToken);
        Assert.NotEqual(before.RefreshToken, after.RefreshToken);
        Assert.Equal(SandboxServers.PatientId, after.Patient);
        Assert.Equal(before.FhirUser, after.FhirUser);
        Assert.Equal(before.ConnectedAt, after.ConnectedAt);
        Assert.NotNull(after.RefreshedAt);
        Assert.Equal(after.AccessToken, (await gateway.Store.GetAsync(owner, AuthHarness.PlatformId))!.AccessToken);
        Assert.Equal(2, gateway.Counter.TokenRequests);
    }

    [Fact]
    public async Task GetConnectionAsync_HundredConcurrentOnExpiredToken_ExactlyOneRefreshAndGrantStaysValid()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = AuthHarness.Create(AuthHarness.Settings(Sandbox), time);
        var owner = AuthHarness.NewOwner();
        await gateway.LoginAsync(owner);
        time.Advance(TimeSpan.FromHours(2));
        var exchanges = gateway.Counter.TokenRequests;

        var connections = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => gateway.Auth.GetConnectionAsync(owner, AuthHarness.PlatformId))));

        Assert.Equal(1, gateway.Counter.TokenRequests - exchanges);
        Assert.Single(connections.Select(c => c.AccessToken).Distinct());
        // Had a second refresh sent the rotated-away token, the sandbox would have revoked the grant.
        time.Advance(TimeSpan.FromHours(2));
        var later = await gateway.Auth.GetConnectionAsync(owner, AuthHarness.PlatformId);
        Assert.NotEqual(connections[0].AccessToken, later.AccessToken);
    }

    [Fact]
    public async Task GetConnectionAsync_TwoReplicasHundredConcurrent_ExactlyOneRefresh()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var first = AuthHarness.Create(AuthHarness.Settings(Sandbox), time);
        await using var second = AuthHarness.Create(AuthHarness.Settings(Sandbox), time, shareStoreWith: first);
        var owner = AuthHarness.NewOwner();
        await first.LoginAsync(owner);
        time.Advance(TimeSpan.FromHours(2));

        var connections = await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            Task.Run(() => (i % 2 == 0 ? first : second).Auth.GetConnectionAsync(owner, AuthHarness.PlatformId))));

        Assert.Equal(2, first.Counter.TokenRequests + second.Counter.TokenRequests);
        Assert.Single(connections.Select(c => c.AccessToken).Distinct());
    }

    [Fact]
    public async Task GetConnectionAsync_RefreshTokenReusedElsewhere_MarksReauthorizationAndRequiresLogin()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = AuthHarness.Create(AuthHarness.Settings(Sandbox), time);
        var owner = AuthHarness.NewOwner();
        await gateway.LoginAsync(owner);
        var stored = (await gateway.Store.GetAsync(owner, AuthHarness.PlatformId))!;
        // Someone else uses the refresh token first: the sandbox rotates it away, and its next use revokes the grant.
        Assert.Equal(HttpStatusCode.OK, await SandboxTokenClient.RefreshAsync(Sandbox, stored.RefreshToken!));
        time.Advance(TimeSpan.FromHours(2));

        var e = await Assert.ThrowsAsync<AuthorizationRequiredException>(() => gateway.Auth.GetConnectionAsync(owner, AuthHarness.PlatformId));

        Assert.Equal($"{AuthHarness.PublicUrl}/auth/{AuthHarness.PlatformId}/login", e.LoginUrl);
        var marked = (await gateway.Store.GetAsync(owner, AuthHarness.PlatformId))!;
        Assert.NotNull(marked.ReauthorizationReason);
        Assert.Contains(marked.ReauthorizationReason, e.Message, StringComparison.Ordinal);
        var requests = gateway.Counter.TokenRequests;
        await Assert.ThrowsAsync<AuthorizationRequiredException>(() => gateway.Auth.GetConnectionAsync(owner, AuthHarness.PlatformId));
        Assert.Equal(requests, gateway.Counter.TokenRequests);
    }

    [Fact]
    public async Task GetConnectionAsync_TokenEndpointDown_502AndConnectionKept()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = AuthHarness.Create(AuthHarness.Settings(Sandbox), time);
        var owner = AuthHarness.NewOwner();
        await gateway.LoginAsync(owner);
        var downSettings = AuthHarness.Settings(Sandbox);
        downSettings[PlatformSettings.Key(AuthHarness.PlatformId, PlatformSettings.TokenUrl)] = $"http://127.0.0.1:{FreePort.Next()}/token";
        // A replica that cannot reach the token endpoint, with the standard resilience handler the ServiceDefaults add.
        await using var down = AuthHarness.Create(downSettings, time, shareStoreWith: gateway,
            configureServices: services => services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler()));
        time.Advance(TimeSpan.FromHours(2));

        var e = await Assert.ThrowsAsync<AuthorizationServerException>(() => down.Auth.GetConnectionAsync(owner, AuthHarness.PlatformId));

        Assert.Equal(HttpStatusCode.BadGateway, e.Status);
        Assert.Equal(1, down.Counter.TokenRequests);
        Assert.Null((await gateway.Store.GetAsync(owner, AuthHarness.PlatformId))!.ReauthorizationReason);
        Assert.NotNull(await gateway.Auth.GetConnectionAsync(owner, AuthHarness.PlatformId));
    }

    [Fact]
    public async Task GetConnectionAsync_NoConnection_RequiresLoginAtGatewayRoute()
    {
        await using var gateway = AuthHarness.Create(AuthHarness.Settings(Sandbox));

        var e = await Assert.ThrowsAsync<AuthorizationRequiredException>(() => gateway.Auth.GetConnectionAsync(AuthHarness.NewOwner(), "smart-local"));

        Assert.Equal(HttpStatusCode.Unauthorized, e.Status);
        Assert.Equal(AuthHarness.PlatformId, e.PlatformId);
        Assert.Equal("http://127.0.0.1:5999/auth/local-sandbox/login", e.LoginUrl);
    }

    [Fact]
    public async Task LogoutAsync_Connected_RevokesAtPlatformAndRemoves()
    {
        await using var gateway = AuthHarness.Create(AuthHarness.Settings(Sandbox));
        var owner = AuthHarness.NewOwner();
        await gateway.LoginAsync(owner);
        var stored = (await gateway.Store.GetAsync(owner, AuthHarness.PlatformId))!;

        Assert.True(await gateway.Auth.LogoutAsync(owner, AuthHarness.PlatformId));

        Assert.Null(await gateway.Store.GetAsync(owner, AuthHarness.PlatformId));
        Assert.Equal(2, gateway.Counter.Revocations);
        Assert.Equal(HttpStatusCode.BadRequest, await SandboxTokenClient.RefreshAsync(Sandbox, stored.RefreshToken!));
        Assert.False(await gateway.Auth.LogoutAsync(owner, AuthHarness.PlatformId));
    }

    [Fact]
    public async Task LogoutAsync_RevocationEndpointDown_StillRemoves()
    {
        var settings = AuthHarness.Settings(Sandbox);
        settings[PlatformSettings.Key(AuthHarness.PlatformId, PlatformSettings.RevokeUrl)] = $"http://127.0.0.1:{FreePort.Next()}/token/revocation";
        await using var gateway = AuthHarness.Create(settings);
        var owner = AuthHarness.NewOwner();
        await gateway.LoginAsync(owner);

        Assert.True(await gateway.Auth.LogoutAsync(owner, AuthHarness.PlatformId));

        Assert.Null(await gateway.Store.GetAsync(owner, AuthHarness.PlatformId));
    }
}
