using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FhirGateway.Core.Identity;

namespace FhirGateway.Mcp.Tests.Security;

/// <summary>
/// A user's bearer token over MCP: the connection belongs to <c>user:…</c>, so the same user sees it over REST; another
/// user, or a gateway key, cannot see or revoke it.
/// </summary>
public sealed class McpUserIdentityTests(SecureMcpFixture fixture) : IClassFixture<SecureMcpFixture>
{
    [Fact]
    public async Task StartAuth_UserToken_ConnectionIsSharedWithRestNoKeyMinted()
    {
        var token = await fixture.TokenAsync("patient");
        await ConnectOverMcpAsync(token);

        await using var client = await fixture.ConnectAsync(token);
        Assert.StartsWith("local-sandbox | connected", await client.CallAsync("get_auth_status", new()), StringComparison.Ordinal);
        Assert.Contains("local-sandbox", await RestConnectionsAsync(token: token));
    }

    [Fact]
    public async Task OtherUser_CannotSeeOrRevokeTheConnection()
    {
        var alice = await fixture.TokenAsync("patient");
        await ConnectOverMcpAsync(alice);
        await using var carol = await fixture.ConnectAsync(await fixture.TokenAsync("clinician"));

        Assert.DoesNotContain("connected", await carol.CallAsync("get_auth_status", new()), StringComparison.Ordinal);
        await carol.CallAsync("revoke_auth", new() { ["platform_id"] = "local-sandbox" });

        Assert.Contains("local-sandbox", await RestConnectionsAsync(token: alice));
    }

    [Fact]
    public async Task GatewayKey_CannotSeeOrRevokeAUsersConnection()
    {
        var alice = await fixture.TokenAsync("patient");
        await ConnectOverMcpAsync(alice);
        var key = GatewayKey.Create();

        Assert.Empty(await RestConnectionsAsync(key: key));
        using (var logout = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Api.BaseAddress, "/auth/local-sandbox/logout")))
        {
            logout.Headers.Add(GatewayKey.HeaderName, key);
            using var response = await fixture.Http.SendAsync(logout);
            Assert.False((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("removed").GetBoolean());
        }

        Assert.Contains("local-sandbox", await RestConnectionsAsync(token: alice));
    }

    private async Task ConnectOverMcpAsync(string token)
    {
        await using var client = await fixture.ConnectAsync(token);
        var started = await client.CallAsync("start_auth", new() { ["platform_id"] = "local-sandbox" });
        Assert.DoesNotContain(GatewayKey.Prefix, started, StringComparison.Ordinal);
        await fixture.CompleteLoginAsync(McpFixture.Field(started, "authorize_url"));
    }

    private async Task<IReadOnlyList<string>> RestConnectionsAsync(string? token = null, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.Api.BaseAddress, "/auth/status"));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (key is not null)
        {
            request.Headers.Add(GatewayKey.HeaderName, key);
        }

        using var response = await fixture.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("connections").EnumerateArray().Select(c => c.GetProperty("platform_id").GetString()!).ToList();
    }
}
