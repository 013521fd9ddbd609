using System.Net.Http.Json;
using System.Text.Json;

namespace FhirGateway.Testing;

/// <summary>
/// An access token for the gateway itself, as an app or agent gets one: the authorization code flow with PKCE at
/// the sandbox auth server, logging in through its form as a test user, with <c>aud</c> = the gateway's audience.
/// </summary>
public static class SandboxUserToken
{
    /// <summary>
    /// A fresh access token for <paramref name="username"/>; <paramref name="redirectUri"/> must be registered
    /// (<see cref="SandboxOptions.RedirectUris"/>); nothing needs to listen there. <paramref name="scope"/> and
    /// <paramref name="audience"/> make it a token for the sandbox's FHIR server instead (a FHIR base and SMART scopes).
    /// </summary>
    public static async Task<string> GetAsync(
        SandboxServers sandbox, string audience, string username = "patient", string redirectUri = SandboxServers.DefaultRedirectUri, string scope = "openid")
    {
        var pkce = Pkce.Create();
        var issuer = sandbox.AuthIssuer.AbsoluteUri.TrimEnd('/');
        var query = string.Join('&', new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["client_id"] = SandboxServers.PublicClientId,
            ["redirect_uri"] = redirectUri,
            ["scope"] = scope,
            ["state"] = Guid.NewGuid().ToString("N"),
            ["aud"] = audience,
            ["code_challenge"] = pkce.Challenge,
            ["code_challenge_method"] = "S256",
        }.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));

        using var browser = new SandboxLogin();
        var callback = await browser.AuthorizeAsync(new Uri($"{issuer}/auth?{query}"), redirectUri, username);
        var code = System.Web.HttpUtility.ParseQueryString(callback.Query)["code"]
            ?? throw new InvalidOperationException($"The sandbox did not return a code: {callback.Query}");

        using var http = new HttpClient();
        using var response = await http.PostAsync($"{issuer}/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = pkce.Verifier,
            ["client_id"] = SandboxServers.PublicClientId,
        }));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return response.IsSuccessStatusCode && body.TryGetProperty("access_token", out var token)
            ? token.GetString()!
            : throw new InvalidOperationException($"The sandbox refused the code ({(int)response.StatusCode}): {body}");
    }
}
