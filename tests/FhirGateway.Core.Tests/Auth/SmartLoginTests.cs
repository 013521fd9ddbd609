using System.Net;
using FhirGateway.Core.Auth;
using FhirGateway.Core.Errors;
using FhirGateway.Core.Platforms;
using FhirGateway.Testing;
using Microsoft.Extensions.Time.Testing;

namespace FhirGateway.Core.Tests.Auth;

/// <summary>Standalone launch against the real sandbox: start, the login form, the callback.</summary>
public sealed class SmartLoginTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private SandboxServers Sandbox => sandbox.Servers;

    [Fact]
    public async Task CompleteAsync_AfterLogin_StoresConnectionWithLaunchContextAndVerifiedFhirUser()
    {
        await using var gateway = AuthHarness.Create(AuthHarness.Settings(Sandbox));
        var owner = AuthHarness.NewOwner();

        var start = await gateway.Auth.StartAsync(owner, "smart-local", returnUrl: "/connections?x=1");
        var completed = await gateway.Auth.CompleteAsync(await AuthHarness.BrowseAsync(start), owner);

        Assert.Equal(AuthHarness.PlatformId, completed.PlatformId);
        Assert.Equal("/connections?x=1", completed.ReturnUrl);
        Assert.Equal("connected", completed.Status.State);
        Assert.True(completed.Status.CanRefresh);
        var stored = await gateway.Store.GetAsync(owner, AuthHarness.PlatformId);
        Assert.NotNull(stored);
        Assert.Equal(SandboxServers.PatientId, stored.Patient);
        Assert.Equal($"Patient/{SandboxServers.PatientId}", stored.FhirUser);
        Assert.Contains("patient/*.rs", stored.Scope, StringComparison.Ordinal);
        Assert.NotNull(stored.RefreshToken);
        Assert.True(stored.ExpiresAt > DateTimeOffset.UtcNow.AddMinutes(50));
    }

    [Fact]
    public async Task StartAsync_Always_SendsPkceS256AudStateAndNonce()
    {
        await using var gateway = AuthHarness.Create(AuthHarness.Settings(Sandbox));

        var start = await gateway.Auth.StartAsync(AuthHarness.NewOwner(), AuthHarness.PlatformId, returnUrl: "//evil.example/x");

        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(start.AuthorizeUrl.Query);
        Assert.Equal("S256", query["code_challenge_method"].ToString());
        Assert.Equal(Sandbox.FhirBase(), query["aud"].ToString());
        Assert.Equal(AuthHarness.RedirectUri, query["redirect_uri"].ToString());
        Assert.Equal(start.State, query["state"].ToString());
        Assert.True(start.State.Length >= 22, "state carries at least 128 bits");
        var pending = await gateway.Store.TakePendingAsync(start.State);
        Assert.NotNull(pending);
        Assert.Equal(Testing.Pkce.Base64Url(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(pending.CodeVerifier))), query["code_challenge"].ToString());
        Assert.Equal(pending.Nonce, query["nonce"].ToString());
        Assert.Null(pending.ReturnUrl);
        Assert.Equal(Sandbox.AuthIssuer.AbsoluteUri.TrimEnd('/'), pending.Issuer);
    }

    [Fact]
    public async Task CompleteAsync_SameStateTwice_SecondFailsAndNothingChanges()
    {
        await using var gateway = AuthHarness.Create(AuthHarness.Settings(Sandbox));
        var owner = AuthHarness.NewOwner();
        var start = await gateway.Auth.StartAsync(owner, AuthHarness.PlatformId);
        var callback = await AuthHarness.BrowseAsync(start);
        await gateway.Auth.CompleteAsync(callback, owner);
        await gateway.Store.RemoveAsync(owner, AuthHarness.PlatformId);

        await Assert.ThrowsAsync<InvalidAuthorizationStateException>(() => gateway.Auth.CompleteAsync(callback, owner));

        Assert.Null(await gateway.Store.GetAsync(owner, AuthHarness.PlatformId));
    }

    [Fact]
    public async Task CompleteAsync_StateOlderThanTenMinutes_Rejected()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = AuthHarness.Create(AuthHarness.Settings(Sandbox), time);
        var owner = AuthHarness.NewOwner();
        var start = await gateway.Auth.StartAsync(owner, AuthHarness.PlatformId);

        time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<InvalidAuthorizationStateException>(() =>
            gateway.Auth.CompleteAsync(new AuthorizationCallback("any-code", start.State, null, null, null), owner));
        Assert.Null(await gateway.Store.GetAsync(owner, AuthHarness.PlatformId));
    }

    [Fact]
    public async Task CompleteAsync_OtherBrowserSession_RejectedAndStateConsumed()
    {
        await using var gateway = AuthHarness.Create(AuthHarness.Settings(Sandbox));
        var owner = AuthHarness.NewOwner();
        var start = await gateway.Auth.StartAsync(owner, AuthHarness.PlatformId);
        var callback = await AuthHarness.BrowseAsync(start);

        await Assert.ThrowsAsync<InvalidAuthorizationStateException>(() => gateway.Auth.CompleteAsync(callback, AuthHarness.NewOwner()));
        await Assert.ThrowsAsync<InvalidAuthorizationStateException>(() => gateway.Auth.CompleteAsync(callback, owner));

        Assert.Null(await gateway.Store.GetAsync(owner, AuthHarness.PlatformId));
        Assert.Equal(0, gateway.Counter.TokenRequests);
    }

    [Fact]
    public async Task CompleteAsync_ProviderError_CarriesErrorAndConsumesState()
    {
        // The sandbox refuses an aud that is not one of its FHIR bases with a redirect carrying error=invalid_target.
        var settings = AuthHarness.Settings(Sandbox);
        settings[PlatformSettings.Key(AuthHarness.PlatformId, PlatformSettings.FhirBaseUrl)] = Sandbox.FhirBase("no-such-base");
        await using var gateway = AuthHarness.Create(settings);
        var owner = AuthHarness.NewOwner();
        var start = await gateway.Auth.StartAsync(owner, AuthHarness.PlatformId);
        var callback = await AuthHarness.BrowseAsync(start);

        var e = await Assert.ThrowsAsync<AuthorizationDeniedException>(() => gateway.Auth.CompleteAsync(callback, owner));

        Assert.Equal(HttpStatusCode.BadRequest, e.Status);
        Assert.Equal("invalid_target", e.Error);
        Assert.Contains("invalid_target", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidAuthorizationStateException>(() => gateway.Auth.CompleteAsync(callback, owner));
    }

    [Fact]
    public async Task CompleteAsync_WrongIssuer_RejectedBeforeCodeExchange()
    {
        await using var gateway = AuthHarness.Create(AuthHarness.Settings(Sandbox));
        var owner = AuthHarness.NewOwner();
        var start = await gateway.Auth.StartAsync(owner, AuthHarness.PlatformId);
        var callback = await AuthHarness.BrowseAsync(start);
        Assert.Equal(Sandbox.AuthIssuer.AbsoluteUri.TrimEnd('/'), callback.Issuer);

        await Assert.ThrowsAsync<InvalidAuthorizationStateException>(() =>
            gateway.Auth.CompleteAsync(callback with { Issuer = Sandbox.FhirBase() }, owner));

        Assert.Null(await gateway.Store.GetAsync(owner, AuthHarness.PlatformId));
        Assert.Equal(0, gateway.Counter.TokenRequests);
    }

    [Fact]
    public async Task CompleteAsync_NonceNotTheOneSent_RefusesTheIdToken()
    {
        await using var gateway = AuthHarness.Create(AuthHarness.Settings(Sandbox));
        var owner = AuthHarness.NewOwner();
        var start = await gateway.Auth.StartAsync(owner, AuthHarness.PlatformId);
        var callback = await AuthHarness.BrowseAsync(start);
        // The id_token will carry the nonce sent; the gateway now expects another one.
        var pending = await gateway.Store.TakePendingAsync(start.State);
        await gateway.Store.SavePendingAsync(pending! with { Nonce = "another-nonce" });

        await Assert.ThrowsAsync<AuthorizationServerException>(() => gateway.Auth.CompleteAsync(callback, owner));

        Assert.Null(await gateway.Store.GetAsync(owner, AuthHarness.PlatformId));
    }

    [Fact]
    public async Task CompleteAsync_TokenEndpointDown_502ThenRetryWithSameStateWorks()
    {
        var downSettings = AuthHarness.Settings(Sandbox);
        downSettings[PlatformSettings.Key(AuthHarness.PlatformId, PlatformSettings.TokenUrl)] = $"http://127.0.0.1:{FreePort.Next()}/token";
        await using var down = AuthHarness.Create(downSettings);
        await using var fixedReplica = AuthHarness.Create(AuthHarness.Settings(Sandbox), shareStoreWith: down);
        var owner = AuthHarness.NewOwner();
        var start = await down.Auth.StartAsync(owner, AuthHarness.PlatformId);
        var callback = await AuthHarness.BrowseAsync(start);

        var e = await Assert.ThrowsAsync<AuthorizationServerException>(() => down.Auth.CompleteAsync(callback, owner));
        Assert.Equal(HttpStatusCode.BadGateway, e.Status);
        Assert.Null(await down.Store.GetAsync(owner, AuthHarness.PlatformId));

        var completed = await fixedReplica.Auth.CompleteAsync(callback, owner);

        Assert.Equal("connected", completed.Status.State);
        Assert.NotNull(await down.Store.GetAsync(owner, AuthHarness.PlatformId));
        await Assert.ThrowsAsync<InvalidAuthorizationStateException>(() => fixedReplica.Auth.CompleteAsync(callback, owner));
    }

    [Theory]
    [InlineData("fhir-gateway-confidential", "client_secret_basic", true)]
    [InlineData("fhir-gateway-confidential-post", "client_secret_post", false)]
    public async Task CompleteAsync_ConfidentialClient_AuthenticatesAsThePlatformSays(string clientId, string method, bool basic)
    {
        using var folder = new Platforms.TempPlatformFolder().With("local-sandbox.json",
            File.ReadAllText(Path.Combine(Platforms.RepoPaths.PlatformsFolder, "local-sandbox.json"))
                .Replace("\"token_endpoint_auth_methods\": [\"none\"]", $"\"token_endpoint_auth_methods\": [\"{method}\"]", StringComparison.Ordinal));
        var settings = AuthHarness.Settings(Sandbox);
        settings[PlatformRegistryOptions.PathKey] = folder.Path;
        settings[PlatformSettings.Key(AuthHarness.PlatformId, PlatformSettings.ClientId)] = clientId;
        settings[PlatformSettings.Key(AuthHarness.PlatformId, PlatformSettings.ClientSecret)] = AuthHarness.ConfidentialSecret;
        await using var gateway = AuthHarness.Create(settings);
        var owner = AuthHarness.NewOwner();

        var completed = await gateway.LoginAsync(owner);

        Assert.Equal("connected", completed.Status.State);
        Assert.Equal($"Patient/{SandboxServers.PatientId}", completed.Status.FhirUser);
        Assert.Equal(basic, gateway.Counter.LastUsedBasic);
        Assert.Equal(!basic, gateway.Counter.LastSentSecretInBody);
        // The refresh authenticates the same way.
        await gateway.Auth.GetConnectionAsync(owner, AuthHarness.PlatformId, forceRefresh: true);
        Assert.Equal(basic, gateway.Counter.LastUsedBasic);
    }

    [Fact]
    public async Task CompleteAsync_ConfidentialClientWrongSecret_502AndNothingStored()
    {
        var settings = AuthHarness.Settings(Sandbox);
        settings[PlatformSettings.Key(AuthHarness.PlatformId, PlatformSettings.ClientId)] = "fhir-gateway-confidential";
        settings[PlatformSettings.Key(AuthHarness.PlatformId, PlatformSettings.ClientSecret)] = "wrong-secret";
        await using var gateway = AuthHarness.Create(settings);
        var owner = AuthHarness.NewOwner();

        var e = await Assert.ThrowsAsync<AuthorizationServerException>(() => gateway.LoginAsync(owner));

        Assert.Contains("invalid_client", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret", e.Message, StringComparison.Ordinal);
        Assert.Null(await gateway.Store.GetAsync(owner, AuthHarness.PlatformId));
    }
}
