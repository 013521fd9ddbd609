using System.Net;
using FhirGateway.Core.Identity;
using FhirGateway.Testing;
using ModelContextProtocol.Client;

namespace FhirGateway.Mcp.Tests;

/// <summary>
/// What an agent with a gateway key does, for every fixture: an SDK client sending the key, and a key connected
/// to the sandbox (start_auth over MCP, the sandbox's login form, the callback on the Api without a cookie).
/// </summary>
public static class GatewayKeyLogin
{
    /// <summary>The SDK's client on <paramref name="endpoint"/>, sending <paramref name="key"/> (if any) and <paramref name="headers"/>.</summary>
    public static Task<McpClient> ClientAsync(Uri endpoint, string? key, IDictionary<string, string>? headers = null)
    {
        var all = new Dictionary<string, string>(headers ?? new Dictionary<string, string>());
        if (key is not null)
        {
            all[GatewayKey.HeaderName] = key;
        }

        return McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = endpoint, AdditionalHeaders = all }));
    }

    /// <summary>Connects <paramref name="key"/> to local-sandbox through the MCP server at <paramref name="endpoint"/>.</summary>
    public static async Task ConnectAsync(Uri endpoint, Uri apiBase, string key, string? scopes = null)
    {
        await using var client = await ClientAsync(endpoint, key);
        var started = await client.CallAsync("start_auth", new() { ["platform_id"] = "local-sandbox", ["scopes"] = scopes });
        await CompleteAsync(apiBase, McpFixture.Field(started, "authorize_url"));
    }

    /// <summary>Logs in at the sandbox for an authorize URL the gateway gave, then visits the callback on the Api.</summary>
    public static async Task CompleteAsync(Uri apiBase, string authorizeUrl)
    {
        using var browser = new SandboxLogin();
        var callback = await browser.AuthorizeAsync(new Uri(authorizeUrl), ApiServer.CallbackFor(apiBase.Port));
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        using var page = await http.GetAsync(callback);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"callback answered {(int)page.StatusCode}: {html}");
        Assert.Contains("Connected to", html, StringComparison.Ordinal);
    }
}
