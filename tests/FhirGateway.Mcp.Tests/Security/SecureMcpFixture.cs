using System.Collections.Concurrent;
using System.Globalization;
using FhirGateway.Testing;
using ModelContextProtocol.Client;

namespace FhirGateway.Mcp.Tests.Security;

/// <summary>
/// Real processes with gateway identity on: redis-server, the sandbox issuing tokens for the gateway's audience,
/// the Api (bearer tokens accepted, not required), the MCP server <see cref="Mcp"/> (a user token required), and
/// <see cref="Limited"/>, an MCP server allowing three requests a minute per client IP.
/// </summary>
public sealed class SecureMcpFixture : IAsyncLifetime
{
    public const string Audience = "urn:fhir-gateway";
    public const int Permits = 3;

    private readonly ConcurrentDictionary<string, Task<string>> _tokens = new();
    private RedisServer? _redis;
    private SandboxServers? _sandbox;
    private ApiServer? _api;
    private McpServer? _mcp;
    private McpServer? _limited;

    public SandboxServers Sandbox => _sandbox ?? throw new InvalidOperationException("Not started.");

    public ApiServer Api => _api ?? throw new InvalidOperationException("Not started.");

    public McpServer Mcp => _mcp ?? throw new InvalidOperationException("Not started.");

    public McpServer Limited => _limited ?? throw new InvalidOperationException("Not started.");

    public string Issuer => Sandbox.AuthIssuer.AbsoluteUri.TrimEnd('/');

    /// <summary>A client with no cookies, as a browser that only visits the callback.</summary>
    public HttpClient Http { get; } = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(60) };

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        var apiPort = FreePort.Next();
        _sandbox = await SandboxServers.StartAsync(new SandboxOptions
        {
            RedirectUris = [ApiServer.CallbackFor(apiPort), SandboxServers.DefaultRedirectUri],
            GatewayAudience = Audience,
        });
        var identity = new Dictionary<string, string>
        {
            ["FHIR_GATEWAY_AUTH_ISSUER"] = Issuer,
            ["FHIR_GATEWAY_AUTH_AUDIENCE"] = Audience,
        };
        _api = new ApiServer(_sandbox, _redis.ConnectionString, apiPort, identity);
        _api.StartServer();
        _mcp = new McpServer(_sandbox, _redis.ConnectionString, _api.BaseAddress, FreePort.Next(), new Dictionary<string, string>(identity)
        {
            ["FHIR_GATEWAY_AUTH_REQUIRED"] = "true",
        });
        _mcp.StartServer();
        var permits = Permits.ToString(CultureInfo.InvariantCulture);
        _limited = new McpServer(_sandbox, _redis.ConnectionString, _api.BaseAddress, FreePort.Next(), new Dictionary<string, string>
        {
            ["FHIR_GATEWAY_RATE_LIMIT_ANONYMOUS_PERMITS"] = permits,
            ["FHIR_GATEWAY_RATE_LIMIT_PERMITS"] = permits,
        });
        _limited.StartServer();
    }

    /// <summary>An access token for the gateway, one per test user.</summary>
    public Task<string> TokenAsync(string username) =>
        _tokens.GetOrAdd(username, name => SandboxUserToken.GetAsync(Sandbox, Audience, name));

    /// <summary>The SDK's MCP client sending <paramref name="token"/> as its bearer token.</summary>
    public Task<McpClient> ConnectAsync(string token) =>
        McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = Mcp.Endpoint,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" },
        }));

    /// <summary>Logs in at the sandbox for an authorize URL the gateway gave, then visits the callback on the Api (no cookie).</summary>
    public async Task CompleteLoginAsync(string authorizeUrl)
    {
        using var browser = new SandboxLogin();
        var callback = await browser.AuthorizeAsync(new Uri(authorizeUrl), ApiServer.CallbackFor(Api.BaseAddress.Port));
        using var page = await Http.GetAsync(callback);
        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        foreach (var server in new IAsyncDisposable?[] { _limited, _mcp, _api, _sandbox, _redis })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
    }
}
