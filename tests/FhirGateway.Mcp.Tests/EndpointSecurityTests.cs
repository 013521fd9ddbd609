using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FhirGateway.Core.Identity;

namespace FhirGateway.Mcp.Tests;

/// <summary>What the MCP endpoint refuses before any tool runs: foreign Host or Origin (DNS rebinding), malformed keys.</summary>
[Collection(McpGatewayGroup.Name)]
public sealed class EndpointSecurityTests(McpFixture fixture)
{
    private const string Initialize = """
        {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}
        """;

    [Fact]
    public async Task Post_ForeignHost_Returns403()
    {
        using var response = await PostAsync(r => r.Headers.Host = "evil.example");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Post_ForeignOrigin_Returns403()
    {
        using var response = await PostAsync(r => r.Headers.Add("Origin", "http://evil.example"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Post_LocalOrigin_IsServed()
    {
        using var response = await PostAsync(r => r.Headers.Add("Origin", $"http://localhost:{fixture.Mcp.Endpoint.Port}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Connect_ForeignOrigin_FailsWithTheSdkClient()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => fixture.ConnectAsync(GatewayKey.Create(), new Dictionary<string, string> { ["Origin"] = "https://evil.example" }));
    }

    [Theory]
    [InlineData("fgk_short")]
    [InlineData("not-a-key-at-all-0123456789-0123456789-0123456789")]
    [InlineData("fgk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")] // spare bits set: not a key Create gives
    [InlineData("")]
    public async Task Post_MalformedKey_Returns400SayingWhy(string key)
    {
        using var response = await PostAsync(r => r.Headers.TryAddWithoutValidation(GatewayKey.HeaderName, key));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The X-FHIR-Gateway-Key header is malformed", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_TwoKeys_Returns400()
    {
        using var response = await PostAsync(r => r.Headers.TryAddWithoutValidation(GatewayKey.HeaderName, [GatewayKey.Create(), GatewayKey.Create()]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Connect_MalformedKey_FailsWithTheSdkClient()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => fixture.ConnectAsync("fgk_short"));
    }

    private async Task<HttpResponseMessage> PostAsync(Action<HttpRequestMessage> configure)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, fixture.Mcp.Endpoint)
        {
            Content = new StringContent(Initialize, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        configure(request);
        return await fixture.Http.SendAsync(request);
    }
}
