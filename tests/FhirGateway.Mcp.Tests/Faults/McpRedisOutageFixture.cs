using System.Net;
using FhirGateway.Core.Identity;
using FhirGateway.Testing;
using ModelContextProtocol.Client;

namespace FhirGateway.Mcp.Tests.Faults;

/// <summary>
/// The sandbox, the Api (callbacks) and the MCP server over a persistent redis-server that a test may kill and
/// restart; its own processes, so the outage does not touch the shared <see cref="McpFixture"/>.
/// </summary>
public sealed class McpRedisOutageFixture : IAsyncLifetime
{
    private PersistentRedisServer? _redis;
    private SandboxServers? _sandbox;
    private ApiServer? _api;
    private McpServer? _mcp;

    public PersistentRedisServer Redis => _redis ?? throw new InvalidOperationException("Not started.");

    public ApiServer Api => _api ?? throw new InvalidOperationException("Not started.");

    public McpServer Mcp => _mcp ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _redis = await PersistentRedisServer.StartAsync();
        var apiPort = FreePort.Next();
        _sandbox = await SandboxServers.StartAsync(new SandboxOptions { RedirectUris = [ApiServer.CallbackFor(apiPort)] });
        _api = new ApiServer(_sandbox, _redis.ConnectionString, apiPort);
        _api.StartServer();
        _mcp = new McpServer(_sandbox, _redis.ConnectionString, _api.BaseAddress, FreePort.Next());
        _mcp.StartServer();
    }

    /// <summary>An MCP client that sends <paramref name="key"/> as its gateway key.</summary>
    public Task<McpClient> ConnectAsync(string key) =>
        McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = Mcp.Endpoint,
            AdditionalHeaders = new Dictionary<string, string> { [GatewayKey.HeaderName] = key },
        }));

    /// <summary>Connects <paramref name="key"/> to the sandbox: start_auth over MCP, the login form, the callback on the Api.</summary>
    public async Task ConnectKeyAsync(string key)
    {
        await using var client = await ConnectAsync(key);
        var started = await client.CallAsync("start_auth", new() { ["platform_id"] = "local-sandbox" });
        using var browser = new SandboxLogin();
        var callback = await browser.AuthorizeAsync(new Uri(McpFixture.Field(started, "authorize_url")), ApiServer.CallbackFor(Api.BaseAddress.Port));
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        using var page = await http.GetAsync(callback);
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"callback answered {(int)page.StatusCode}: {await page.Content.ReadAsStringAsync()}");
    }

    public async Task DisposeAsync()
    {
        if (_mcp is not null)
        {
            await _mcp.DisposeAsync();
        }

        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
