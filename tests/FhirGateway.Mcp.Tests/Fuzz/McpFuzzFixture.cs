using FhirGateway.Core.Identity;
using FhirGateway.Testing;
using ModelContextProtocol.Client;

namespace FhirGateway.Mcp.Tests.Fuzz;

/// <summary>
/// Redis, the SMART sandbox, the Api and the MCP server on real Kestrel, with rate limits out of the way so every
/// fuzz request reaches the tools, and one gateway key connected to the sandbox with write scopes, so valid-looking
/// calls go on to the real FHIR server.
/// </summary>
public sealed class McpFuzzFixture : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Unthrottled = new()
    {
        ["FHIR_GATEWAY_RATE_LIMIT_PERMITS"] = "10000000",
        ["FHIR_GATEWAY_RATE_LIMIT_ANONYMOUS_PERMITS"] = "10000000",
    };

    private RedisServer? _redis;
    private SandboxServers? _sandbox;
    private ApiServer? _api;
    private McpServer? _mcp;

    public McpServer Mcp => _mcp ?? throw new InvalidOperationException("Not started.");

    /// <summary>The connected key.</summary>
    public string Key { get; } = GatewayKey.Create();

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        var apiPort = FreePort.Next();
        _sandbox = await SandboxServers.StartAsync(new SandboxOptions { RedirectUris = [ApiServer.CallbackFor(apiPort)] });
        _api = new ApiServer(_sandbox, _redis.ConnectionString, apiPort, Unthrottled);
        _api.StartServer();
        _mcp = new McpServer(_sandbox, _redis.ConnectionString, _api.BaseAddress, FreePort.Next(), Unthrottled);
        _mcp.StartServer();
        await GatewayKeyLogin.ConnectAsync(_mcp.Endpoint, _api.BaseAddress, Key, McpFixture.WriteScopes);
    }

    /// <summary>An SDK client sending the connected key.</summary>
    public Task<McpClient> ClientAsync() => GatewayKeyLogin.ClientAsync(Mcp.Endpoint, Key);

    public Task DisposeAsync() => Disposables.DisposeInOrderAsync(_mcp, _api, _sandbox, _redis);
}

/// <summary>
/// Fuzz runs measure this process's managed heap, where the servers run: alone, after the parallel collections, so
/// no other test's allocations move the figures.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class McpFuzzGroup
{
    public const string Name = "mcp-fuzz";
}
