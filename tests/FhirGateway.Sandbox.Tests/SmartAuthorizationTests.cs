using System.Net;
using System.Text.Json;
using FhirGateway.Testing;

namespace FhirGateway.Sandbox.Tests;

/// <summary>SMART App Launch (standalone, authorization code + PKCE) against the sandbox auth server.</summary>
public sealed class SmartAuthorizationTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private SandboxServers Sandbox => fixture.Servers;

    [Fact]
    public async Task AuthorizationCode_LoginFormThenExchange_IssuesJwtForTheFhirBaseWithLaunchContext()
    {
        using var client = new SmartClient(Sandbox);

        var tokens = await client.LoginAsync();

        Assert.Equal("Bearer", tokens.GetProperty("token_type").GetString(), ignoreCase: true);
        Assert.Equal(SandboxServers.PatientId, tokens.GetProperty("patient").GetString());
        Assert.Contains("patient/*.rs", tokens.GetProperty("scope").GetString()!.Split(' '));
        Assert.False(string.IsNullOrEmpty(tokens.GetProperty("refresh_token").GetString()));
        var access = SmartClient.JwtPayload(tokens.GetProperty("access_token").GetString()!);
        Assert.Equal(Sandbox.AuthIssuer.AbsoluteUri.TrimEnd('/'), access.GetProperty("iss").GetString());
        Assert.Equal(Sandbox.FhirBase(), Audience(access));
        var identity = SmartClient.JwtPayload(tokens.GetProperty("id_token").GetString()!);
        Assert.Equal($"Patient/{SandboxServers.PatientId}", identity.GetProperty("fhirUser").GetString());
    }

    [Fact]
    public async Task Refresh_WithRotation_IssuesNewTokensAndKeepsLaunchContext()
    {
        using var client = new SmartClient(Sandbox);
        var first = await client.LoginAsync();

        using var response = await client.RefreshAsync(first.GetProperty("refresh_token").GetString()!);
        var second = await SmartClient.ReadSuccessAsync(response);

        Assert.NotEqual(first.GetProperty("refresh_token").GetString(), second.GetProperty("refresh_token").GetString());
        Assert.NotEqual(first.GetProperty("access_token").GetString(), second.GetProperty("access_token").GetString());
        Assert.Equal(SandboxServers.PatientId, second.GetProperty("patient").GetString());
        Assert.Equal(Sandbox.FhirBase(), Audience(SmartClient.JwtPayload(second.GetProperty("access_token").GetString()!)));
        using var search = await client.FhirGetAsync("Patient", second.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
    }

    [Fact]
    public async Task Refresh_ReusedRefreshToken_IsRefusedAndRevokesTheGrant()
    {
        using var client = new SmartClient(Sandbox);
        var first = await client.LoginAsync();
        var original = first.GetProperty("refresh_token").GetString()!;
        using var rotated = await client.RefreshAsync(original);
        var newest = (await SmartClient.ReadSuccessAsync(rotated)).GetProperty("refresh_token").GetString()!;

        using var reuse = await client.RefreshAsync(original);
        using var afterReuse = await client.RefreshAsync(newest);

        Assert.Equal(HttpStatusCode.BadRequest, reuse.StatusCode);
        Assert.Equal("invalid_grant", await ErrorAsync(reuse));
        // Reuse detection: the whole grant is gone, so two refreshes racing would log the user out.
        Assert.Equal(HttpStatusCode.BadRequest, afterReuse.StatusCode);
        Assert.Equal("invalid_grant", await ErrorAsync(afterReuse));
    }

    [Fact]
    public async Task Exchange_WrongCodeVerifier_IsRefused()
    {
        using var client = new SmartClient(Sandbox);
        var pkce = Pkce.Create();
        var code = await client.GetCodeAsync(pkce, "state-verifier-test-0123456789");

        using var response = await client.ExchangeCodeAsync(code, Pkce.Create().Verifier);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", await ErrorAsync(response));
    }

    [Fact]
    public async Task Authorize_PlainPkce_IsRefusedWithoutACode()
    {
        using var client = new SmartClient(Sandbox);
        var pkce = Pkce.Create();
        using var browser = new SandboxLogin();

        var back = await browser.AuthorizeAsync(client.AuthorizeUrl(pkce with { Challenge = pkce.Verifier }, "state-plain-0123456789", method: "plain"), SandboxServers.DefaultRedirectUri);

        var query = SmartClient.ParseQuery(back);
        Assert.Equal("invalid_request", query.GetValueOrDefault("error"));
        Assert.False(query.ContainsKey("code"));
    }

    [Fact]
    public async Task Authorize_AudienceNotAFhirBase_IsRefusedWithoutACode()
    {
        using var client = new SmartClient(Sandbox);
        using var browser = new SandboxLogin();

        var back = await browser.AuthorizeAsync(client.AuthorizeUrl(Pkce.Create(), "state-aud-0123456789", aud: "https://attacker.example/fhir"), SandboxServers.DefaultRedirectUri);

        var query = SmartClient.ParseQuery(back);
        Assert.True(query.ContainsKey("error"), back.Query);
        Assert.False(query.ContainsKey("code"));
    }

    [Fact]
    public async Task Discovery_SmartConfiguration_RequiresS256Only()
    {
        using var http = new HttpClient();

        var config = JsonDocument.Parse(await http.GetStringAsync(new Uri(Sandbox.AuthIssuer, "/.well-known/smart-configuration"))).RootElement;

        Assert.Equal(["S256"], config.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(Sandbox.AuthIssuer.AbsoluteUri.TrimEnd('/'), config.GetProperty("issuer").GetString());
        Assert.Contains("permission-offline", config.GetProperty("capabilities").EnumerateArray().Select(e => e.GetString()));
    }

    private static string? Audience(JsonElement claims)
    {
        var aud = claims.GetProperty("aud");
        return aud.ValueKind == JsonValueKind.Array ? aud.EnumerateArray().Single().GetString() : aud.GetString();
    }

    private static async Task<string?> ErrorAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();
}
