using System.Net.Http.Json;
using System.Text.Json;
using FhirGateway.Core.Identity;

namespace FhirGateway.Mcp.Tests;

/// <summary>One person, one set of connections: the same gateway key over MCP and over REST.</summary>
[Collection(McpGatewayGroup.Name)]
public sealed class RestSharingTests(McpFixture fixture)
{
    [Fact]
    public async Task AuthStatusOverRest_ConnectedOverMcp_ShowsTheConnection()
    {
        var key = GatewayKey.Create();
        await fixture.ConnectKeyAsync(key);

        var connections = await RestStatusAsync(key);

        var connection = Assert.Single(connections.EnumerateArray());
        Assert.Equal("local-sandbox", connection.GetProperty("platform_id").GetString());
        Assert.Equal("connected", connection.GetProperty("state").GetString());
    }

    [Fact]
    public async Task GetAuthStatus_ConnectedOverRest_ShowsTheConnection()
    {
        var key = GatewayKey.Create();
        using var login = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.Api.BaseAddress, "/auth/local-sandbox/login?redirect=false"));
        login.Headers.Add(GatewayKey.HeaderName, key);
        using var started = await fixture.Http.SendAsync(login);
        var body = await started.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(started.Headers.Contains("Set-Cookie"), "a login with a gateway key must not start a browser session");

        await fixture.CompleteLoginAsync(body.GetProperty("authorization_url").GetString()!);
        await using var client = await fixture.ConnectAsync(key);

        Assert.StartsWith("local-sandbox | connected", await client.CallAsync("get_auth_status", new()), StringComparison.Ordinal);
    }

    private async Task<JsonElement> RestStatusAsync(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.Api.BaseAddress, "/auth/status"));
        request.Headers.Add(GatewayKey.HeaderName, key);
        using var response = await fixture.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("connections");
    }
}
