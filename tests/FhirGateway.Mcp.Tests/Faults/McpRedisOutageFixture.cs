using FhirGateway.Testing;
using ModelContextProtocol.Client;

namespace FhirGateway.Mcp.Tests.Faults;

/// <summary>
/// The sandbox, the Api (callbacks) and the MCP server over a persistent redis-server that a test may kill and
/// restart; its own processes, so the outage does not touch the shared <see cref="McpFixture"/>.
/// </summary>
public sealed class McpRedisOutageFixture : IAsyncLifetime
{
    private static readonly Dictionary<string, string> NoTokenCache = new() { ["FHIR_GATEWAY_TOKEN_CACHE_SECONDS"] = "0" };

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
        // The token store's own failure path, every read going to Redis. With the token cache on, a read in the few
        // milliseconds before the replica notices the dropped connection is answered from the cache (a CI run saw it
        // 15 ms after the kill); the Api's outage test covers that behaviour.
        _mcp = new McpServer(_sandbox, _redis.ConnectionString, _api.BaseAddress, FreePort.Next(), NoTokenCache);
        _mcp.StartServer();
    }

    /// <summary>An MCP client that sends <paramref name="key"/> as its gateway key.</summary>
    public Task<McpClient> ConnectAsync(string key) => GatewayKeyLogin.ClientAsync(Mcp.Endpoint, key);

    /// <summary>Connects <paramref name="key"/> to the sandbox: start_auth over MCP, the login form, the callback on the Api.</summary>
    public Task ConnectKeyAsync(string key) => GatewayKeyLogin.ConnectAsync(Mcp.Endpoint, Api.BaseAddress, key);

    public Task DisposeAsync() => Disposables.DisposeInOrderAsync(_mcp, _api, _sandbox, _redis);
}
