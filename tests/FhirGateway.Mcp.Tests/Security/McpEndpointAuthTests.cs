using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FhirGateway.Core.Identity;

namespace FhirGateway.Mcp.Tests.Security;

/// <summary>
/// MCP authorization: 401 with <c>WWW-Authenticate: Bearer resource_metadata="…"</c> for a missing (required mode) or
/// invalid token, RFC 9728 metadata naming the issuer, and 429 as a JSON-RPC error past the rate limit.
/// </summary>
public sealed class McpEndpointAuthTests(SecureMcpFixture fixture) : IClassFixture<SecureMcpFixture>
{
    private const string Initialize = """
        {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}
        """;

    [Theory]
    [InlineData(null, null)]
    [InlineData("not-a-token", null)]
    [InlineData(null, "key")]
    public async Task Post_NoUserOrInvalidToken_Returns401PointingAtTheMetadata(string? token, string? key)
    {
        using var response = await PostAsync(fixture.Mcp.Endpoint, token, key == "key" ? GatewayKey.Create() : null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains($"resource_metadata=\"{new Uri(fixture.Mcp.Endpoint, "/.well-known/oauth-protected-resource/mcp")}\"", challenge.Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_UserToken_IsServed()
    {
        using var response = await PostAsync(fixture.Mcp.Endpoint, await fixture.TokenAsync("patient"), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/.well-known/oauth-protected-resource/mcp")]
    [InlineData("/.well-known/oauth-protected-resource")]
    public async Task ProtectedResourceMetadata_Get_NamesTheIssuer(string path)
    {
        using var response = await fixture.Http.GetAsync(new Uri(fixture.Mcp.Endpoint, path));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var metadata = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(fixture.Issuer, Assert.Single(metadata.GetProperty("authorization_servers").EnumerateArray()).GetString());
        Assert.StartsWith(new Uri(fixture.Mcp.Endpoint, "/").AbsoluteUri.TrimEnd('/'), metadata.GetProperty("resource").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_PastTheRateLimit_Returns429WithRetryAfterAndAJsonRpcError()
    {
        HttpResponseMessage? limited = null;
        for (var i = 0; i <= SecureMcpFixture.Permits && limited is null; i++)
        {
            var response = await PostAsync(fixture.Limited.Endpoint, null, null);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                response.Dispose();
            }
        }

        Assert.NotNull(limited);
        using (limited)
        {
            Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 without a Retry-After in seconds");
            var error = (await limited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
            Assert.Contains("Too many requests", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    private async Task<HttpResponseMessage> PostAsync(Uri endpoint, string? token, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent(Initialize, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (key is not null)
        {
            request.Headers.Add(GatewayKey.HeaderName, key);
        }

        return await fixture.Http.SendAsync(request);
    }
}
