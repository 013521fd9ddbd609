using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FhirGateway.Testing;

namespace FhirGateway.Sandbox.Tests;

/// <summary>A SMART App Launch client, written from the spec, driving the sandbox the way the gateway will.</summary>
internal sealed class SmartClient(SandboxServers sandbox) : IDisposable
{
    public const string DefaultScope = "openid fhirUser launch/patient offline_access patient/*.rs";

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public Uri AuthorizeUrl(Pkce pkce, string state, string? aud = null, string scope = DefaultScope, string method = "S256", string clientId = SandboxServers.PublicClientId)
    {
        var query = new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["client_id"] = clientId,
            ["redirect_uri"] = SandboxServers.DefaultRedirectUri,
            ["scope"] = scope,
            ["state"] = state,
            ["aud"] = aud ?? sandbox.FhirBase(),
            ["code_challenge"] = pkce.Challenge,
            ["code_challenge_method"] = method,
        };
        return new Uri(new Uri(sandbox.AuthIssuer, "/auth"), "?" + string.Join('&', query.Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value)}")));
    }

    /// <summary>Logs in through the form and returns the code from the redirect back.</summary>
    public async Task<string> GetCodeAsync(Pkce pkce, string state, string? aud = null)
    {
        using var browser = new SandboxLogin();
        var back = await browser.AuthorizeAsync(AuthorizeUrl(pkce, state, aud), SandboxServers.DefaultRedirectUri);
        var query = ParseQuery(back);
        Assert.Equal(state, query.GetValueOrDefault("state"));
        Assert.False(query.ContainsKey("error"), $"authorize failed: {query.GetValueOrDefault("error")} {query.GetValueOrDefault("error_description")}");
        return query["code"];
    }

    public Task<HttpResponseMessage> ExchangeCodeAsync(string code, string verifier) => PostTokenAsync(new()
    {
        ["grant_type"] = "authorization_code",
        ["code"] = code,
        ["redirect_uri"] = SandboxServers.DefaultRedirectUri,
        ["client_id"] = SandboxServers.PublicClientId,
        ["code_verifier"] = verifier,
    });

    public Task<HttpResponseMessage> RefreshAsync(string refreshToken) => PostTokenAsync(new()
    {
        ["grant_type"] = "refresh_token",
        ["refresh_token"] = refreshToken,
        ["client_id"] = SandboxServers.PublicClientId,
    });

    /// <summary>The whole standalone launch: authorize, log in, exchange the code.</summary>
    public async Task<JsonElement> LoginAsync(string? aud = null)
    {
        var pkce = Pkce.Create();
        var code = await GetCodeAsync(pkce, Pkce.Base64Url(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)), aud);
        using var response = await ExchangeCodeAsync(code, pkce.Verifier);
        return await ReadSuccessAsync(response);
    }

    public async Task<HttpResponseMessage> FhirGetAsync(string relative, string? accessToken, string? baseName = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{sandbox.FhirBase(baseName ?? "payer-a")}/{relative}");
        request.Headers.Accept.ParseAdd("application/fhir+json");
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        return await _http.SendAsync(request);
    }

    /// <summary>Sends a FHIR request to an absolute URL or a path under the base, with the token.</summary>
    public async Task<HttpResponseMessage> FhirSendAsync(HttpMethod method, string urlOrRelative, string accessToken, string? json = null, Action<HttpRequestMessage>? configure = null)
    {
        var url = urlOrRelative.StartsWith("http", StringComparison.Ordinal) ? urlOrRelative : $"{sandbox.FhirBase()}/{urlOrRelative}";
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Accept.ParseAdd("application/fhir+json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/fhir+json");
        }

        configure?.Invoke(request);
        return await _http.SendAsync(request);
    }

    public static async Task<JsonElement> ReadSuccessAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static Dictionary<string, string> ParseQuery(Uri uri) =>
        uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : "");

    /// <summary>The claims of a JWT, without checking it (the FHIR server checks).</summary>
    public static JsonElement JwtPayload(string jwt)
    {
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload))).RootElement.Clone();
    }

    private Task<HttpResponseMessage> PostTokenAsync(Dictionary<string, string> form) =>
        _http.PostAsync(new Uri(sandbox.AuthIssuer, "/token"), new FormUrlEncodedContent(form));

    public void Dispose() => _http.Dispose();
}
