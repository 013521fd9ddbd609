using System.Diagnostics;
using System.Net;
using System.Text.Json;
using FhirGateway.Testing;
using StackExchange.Redis;

namespace FhirGateway.Api.Tests.Auth;

/// <summary>The REST auth routes against the real sandbox, the same tests for each token store.</summary>
public abstract class AuthApiTests<TFixture>(TFixture fixture) where TFixture : GatewayFixture
{
    protected TFixture Fixture { get; } = fixture;

    [Fact]
    public async Task Login_ThroughSandboxForm_StoresConnectionAndPendingWaitAnswersWithin100ms()
    {
        using var browser = new Browser(Fixture.Gateway.BaseAddress);
        var callback = await AuthorizeAtSandboxAsync(browser);
        var wait = browser.GetAsync("/auth/local-sandbox/wait?timeout=30");
        await Task.Delay(200); // let the wait reach the gateway and start listening

        using var page = await browser.GetAsync(callback.PathAndQuery);
        var landed = Stopwatch.StartNew();
        using var waited = await wait;
        var waitLatency = landed.Elapsed;

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Connected to", html, StringComparison.Ordinal);
        Assert.False(Jwt.IsIn(html), "the callback page shows a JWT");
        var waitResult = await JsonAsync(waited);
        Assert.Equal("connected", waitResult.GetProperty("status").GetString());
        Assert.True(waitLatency < TimeSpan.FromMilliseconds(100), $"wait answered {waitLatency.TotalMilliseconds} ms after the callback");

        var status = await JsonAsync(await browser.GetAsync("/auth/status"));
        var connection = Assert.Single(status.GetProperty("connections").EnumerateArray());
        Assert.Equal("local-sandbox", connection.GetProperty("platform_id").GetString());
        Assert.Equal("connected", connection.GetProperty("state").GetString());
        Assert.Equal(SandboxServers.PatientId, connection.GetProperty("patient").GetString());
        Assert.Equal($"Patient/{SandboxServers.PatientId}", connection.GetProperty("fhir_user").GetString());
        Assert.True(connection.GetProperty("can_refresh").GetBoolean());
        Assert.DoesNotContain("token", status.GetRawText().Replace("\"refresh", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Login_RedirectFalse_ReturnsTheAuthorizationUrlAsJson()
    {
        using var browser = new Browser(Fixture.Gateway.BaseAddress);

        using var response = await browser.GetAsync("/auth/local-sandbox/login?redirect=false");
        var body = await JsonAsync(response);

        var url = new Uri(body.GetProperty("authorization_url").GetString()!);
        var query = Query(url);
        Assert.StartsWith(Fixture.Sandbox.AuthIssuer.AbsoluteUri, url.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(Fixture.Sandbox.FhirBase(), query["aud"]);
        Assert.Equal(Fixture.CallbackUri, query["redirect_uri"]);
        Assert.True(Convert.FromBase64String(Base64(query["state"])).Length >= 16, "state has fewer than 128 bits");
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.Contains("httponly", StringComparison.OrdinalIgnoreCase) && c.Contains("samesite=lax", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Login_UnknownPlatform_Returns404OperationOutcome()
    {
        using var browser = new Browser(Fixture.Gateway.BaseAddress);

        using var response = await browser.GetAsync("/auth/no-such-platform/login");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("OperationOutcome", (await JsonAsync(response, ensureSuccess: false)).GetProperty("resourceType").GetString());
    }

    [Fact]
    public async Task Login_PlatformWithoutClientId_Returns4xxNamingTheVariable()
    {
        using var browser = new Browser(Fixture.Gateway.BaseAddress);

        using var response = await browser.GetAsync("/auth/aetna/login");
        var outcome = await JsonAsync(response, ensureSuccess: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("FHIR_GATEWAY_PLATFORM_AETNA_CLIENT_ID", outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Callback_UnknownState_Returns400PageAndStoresNothing()
    {
        using var browser = new Browser(Fixture.Gateway.BaseAddress);
        await browser.GetAsync("/auth/local-sandbox/login?redirect=false");

        using var response = await browser.GetAsync("/oauth/callback?code=forged-code&state=forged-state-0123456789abcdef");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Empty((await JsonAsync(await browser.GetAsync("/auth/status"))).GetProperty("connections").EnumerateArray());
    }

    [Fact]
    public async Task Callback_ReusedState_Returns400()
    {
        using var browser = new Browser(Fixture.Gateway.BaseAddress);
        var callback = await AuthorizeAtSandboxAsync(browser);
        using var first = await browser.GetAsync(callback.PathAndQuery);

        using var replay = await browser.GetAsync(callback.PathAndQuery);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
    }

    [Fact]
    public async Task Callback_FromAnotherBrowserSession_IsRefusedAndStoresNothing()
    {
        using var victim = new Browser(Fixture.Gateway.BaseAddress);
        using var attacker = new Browser(Fixture.Gateway.BaseAddress);
        var callback = await AuthorizeAtSandboxAsync(victim);
        await attacker.GetAsync("/auth/local-sandbox/login?redirect=false");

        using var response = await attacker.GetAsync(callback.PathAndQuery);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty((await JsonAsync(await attacker.GetAsync("/auth/status"))).GetProperty("connections").EnumerateArray());
        Assert.Empty((await JsonAsync(await victim.GetAsync("/auth/status"))).GetProperty("connections").EnumerateArray());
    }

    [Fact]
    public async Task Callback_ProviderError_ShowsTheProvidersError()
    {
        using var browser = new Browser(Fixture.Gateway.BaseAddress);
        var started = await JsonAsync(await browser.GetAsync("/auth/local-sandbox/login?redirect=false"));
        var state = Query(new Uri(started.GetProperty("authorization_url").GetString()!))["state"];

        using var response = await browser.GetAsync($"/oauth/callback?error=access_denied&error_description=The+user+said+no&state={state}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("access_denied", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_CrossSiteOrigin_Returns403AndKeepsTheConnection()
    {
        using var browser = await ConnectedBrowserAsync();

        using var response = await browser.PostAsync("/auth/local-sandbox/logout", r => r.Headers.Add("Origin", "https://evil.example"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Single((await JsonAsync(await browser.GetAsync("/auth/status"))).GetProperty("connections").EnumerateArray());
    }

    [Fact]
    public async Task Logout_SameOrigin_RemovesTheConnection()
    {
        using var browser = await ConnectedBrowserAsync();

        using var response = await browser.PostAsync("/auth/local-sandbox/logout", r => r.Headers.Add("Origin", Fixture.Gateway.BaseAddress.GetLeftPart(UriPartial.Authority)));

        Assert.True((await JsonAsync(response)).GetProperty("removed").GetBoolean());
        Assert.Empty((await JsonAsync(await browser.GetAsync("/auth/status"))).GetProperty("connections").EnumerateArray());
    }

    [Fact]
    public async Task Wait_NoLogin_AnswersPendingAtTheTimeout()
    {
        using var browser = new Browser(Fixture.Gateway.BaseAddress);
        await browser.GetAsync("/auth/local-sandbox/login?redirect=false");

        var started = Stopwatch.StartNew();
        var result = await JsonAsync(await browser.GetAsync("/auth/local-sandbox/wait?timeout=0.5"));

        Assert.Equal("pending", result.GetProperty("status").GetString());
        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(5));
    }

    protected async Task<Browser> ConnectedBrowserAsync()
    {
        var browser = new Browser(Fixture.Gateway.BaseAddress);
        var callback = await AuthorizeAtSandboxAsync(browser);
        using var page = await browser.GetAsync(callback.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return browser;
    }

    /// <summary>Starts a login at the gateway and logs in at the sandbox; returns the callback URL, not yet visited.</summary>
    protected async Task<Uri> AuthorizeAtSandboxAsync(Browser browser)
    {
        using var login = await browser.GetAsync("/auth/local-sandbox/login");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        using var sandboxBrowser = new SandboxLogin();
        var callback = await sandboxBrowser.AuthorizeAsync(login.Headers.Location!, Fixture.CallbackUri);
        Assert.True(Query(callback).ContainsKey("code"), callback.Query);
        return callback;
    }

    protected static async Task<JsonElement> JsonAsync(HttpResponseMessage response, bool ensureSuccess = true)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(!ensureSuccess || response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    protected static Dictionary<string, string> Query(Uri uri) =>
        uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "");

    private static string Base64(string base64Url)
    {
        var s = base64Url.Replace('-', '+').Replace('_', '/');
        return s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
    }
}

public sealed class InMemoryAuthApiTests(GatewayFixture fixture) : AuthApiTests<GatewayFixture>(fixture), IClassFixture<GatewayFixture>;

public sealed class RedisAuthApiTests(RedisGatewayFixture fixture) : AuthApiTests<RedisGatewayFixture>(fixture), IClassFixture<RedisGatewayFixture>
{
    [Fact]
    public async Task RedisContents_AfterLogins_HoldNoTokenCodeVerifierOrSessionId()
    {
        using var browser = await ConnectedBrowserAsync();
        var pending = await JsonAsync(await browser.GetAsync("/auth/local-sandbox/login?redirect=false"));
        var state = Query(new Uri(pending.GetProperty("authorization_url").GetString()!))["state"];
        var session = browser.Cookies.GetCookies(Fixture.Gateway.BaseAddress)["fhirgw_session"]!.Value;

        await using var redis = await ConnectionMultiplexer.ConnectAsync(Fixture.Redis.ConnectionString);
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var db = redis.GetDatabase();
        var dump = new List<string>();
        await foreach (var key in server.KeysAsync(pattern: "*"))
        {
            dump.Add(key.ToString());
            dump.Add(await db.KeyTypeAsync(key) switch
            {
                RedisType.String => (string?)await db.StringGetAsync(key) ?? "",
                RedisType.Hash => string.Join('\n', (await db.HashGetAllAsync(key)).Select(e => $"{e.Name}={e.Value}")),
                _ => "",
            });
        }

        var everything = string.Join('\n', dump);
        Assert.NotEmpty(dump);
        Assert.False(Jwt.IsIn(everything), "Redis holds a JWT: an access or id token in clear");
        Assert.DoesNotContain(session, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(state, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(SandboxServers.PatientId, everything, StringComparison.Ordinal);
    }
}
