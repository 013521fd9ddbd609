using System.Globalization;
using System.Net;
using FhirGateway.Core.Identity;
using FhirGateway.Testing;
using ModelContextProtocol.Client;

namespace FhirGateway.Mcp.Tests.Coverage;

/// <summary>
/// Its own sandbox (so the payer's "satisfied after approval" memory is not shared with other test classes), Redis,
/// the Api (for the OAuth callback) and two MCP servers: one whose local-sandbox CRD service is the sandbox payer,
/// one whose CRD service is a closed port (the payer is down).
/// </summary>
public sealed class CoverageMcpFixture : IAsyncLifetime
{
    private const string CdsSetting = "FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_CDS_SERVICES_URL";

    private readonly ClosedPort _closed = new();
    private RedisServer? _redis;
    private SandboxServers? _sandbox;
    private ApiServer? _api;
    private McpServer? _mcp;
    private McpServer? _down;

    public SandboxServers Sandbox => _sandbox ?? throw new InvalidOperationException("Not started.");

    private HttpClient Http { get; } = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(60) };

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        var apiPort = FreePort.Next();
        _sandbox = await SandboxServers.StartAsync(new SandboxOptions { RedirectUris = [ApiServer.CallbackFor(apiPort)] });
        _api = new ApiServer(_sandbox, _redis.ConnectionString, apiPort);
        _api.StartServer();
        var cds = $"{_sandbox.FhirOrigin.AbsoluteUri.TrimEnd('/')}/payer-a/cds-services";
        _mcp = new McpServer(_sandbox, _redis.ConnectionString, _api.BaseAddress, FreePort.Next(), new Dictionary<string, string> { [CdsSetting] = cds });
        _mcp.StartServer();
        var closed = $"http://127.0.0.1:{_closed.Port.ToString(CultureInfo.InvariantCulture)}/payer-a/cds-services";
        _down = new McpServer(_sandbox, _redis.ConnectionString, _api.BaseAddress, FreePort.Next(), new Dictionary<string, string> { [CdsSetting] = closed });
        _down.StartServer();
    }

    /// <summary>An MCP client with <paramref name="key"/>; <paramref name="payerDown"/> picks the server whose CRD service is unreachable.</summary>
    public Task<McpClient> ConnectAsync(string key, bool payerDown = false) =>
        McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = (payerDown ? _down : _mcp)!.Endpoint,
            AdditionalHeaders = new Dictionary<string, string> { [GatewayKey.HeaderName] = key },
        }));

    /// <summary>A new gateway key connected to local-sandbox with write scopes (Claim create), through start_auth and the login form.</summary>
    public async Task<string> ConnectedKeyAsync()
    {
        var key = GatewayKey.Create();
        await using var client = await ConnectAsync(key);
        var started = await client.CallAsync("start_auth", new() { ["platform_id"] = "local-sandbox", ["scopes"] = McpFixture.WriteScopes });
        using var browser = new SandboxLogin();
        var callback = await browser.AuthorizeAsync(new Uri(McpFixture.Field(started, "authorize_url")), ApiServer.CallbackFor(_api!.BaseAddress.Port));
        using var page = await Http.GetAsync(callback);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return key;
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        foreach (var server in new IAsyncDisposable?[] { _down, _mcp, _api, _sandbox, _redis })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        _closed.Dispose();
    }
}
