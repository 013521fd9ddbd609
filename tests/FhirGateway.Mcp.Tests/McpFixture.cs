using System.Text.RegularExpressions;
using FhirGateway.Testing;
using ModelContextProtocol.Client;

namespace FhirGateway.Mcp.Tests;

/// <summary>
/// Real processes over real HTTP: redis-server, the SMART sandbox, the Api and the MCP server on Kestrel, both
/// front-ends sharing one token store. Logins go through the sandbox's HTML form; callbacks land on the Api.
/// </summary>
public sealed partial class McpFixture : IAsyncLifetime
{
    /// <summary>Scopes with writes, for the FHIR tool tests.</summary>
    public const string WriteScopes = "openid fhirUser launch/patient offline_access patient/*.cruds";

    private RedisServer? _redis;
    private SandboxServers? _sandbox;
    private ApiServer? _api;
    private McpServer? _mcp;

    public SandboxServers Sandbox => _sandbox ?? throw new InvalidOperationException("Not started.");

    public ApiServer Api => _api ?? throw new InvalidOperationException("Not started.");

    public McpServer Mcp => _mcp ?? throw new InvalidOperationException("Not started.");

    /// <summary>The shared token store, for another front-end started by a test.</summary>
    public string RedisConnectionString => _redis?.ConnectionString ?? throw new InvalidOperationException("Not started.");

    /// <summary>A client with no cookies, as a browser that only visits the callback.</summary>
    public HttpClient Http { get; } = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(60) };

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        var apiPort = FreePort.Next();
        _sandbox = await SandboxServers.StartAsync(new SandboxOptions { RedirectUris = [ApiServer.CallbackFor(apiPort)] });
        _api = new ApiServer(_sandbox, _redis.ConnectionString, apiPort);
        _api.StartServer();
        _mcp = new McpServer(_sandbox, _redis.ConnectionString, _api.BaseAddress, FreePort.Next());
        _mcp.StartServer();
    }

    /// <summary>An MCP client (the SDK's) that sends <paramref name="key"/> as its gateway key, if any.</summary>
    public Task<McpClient> ConnectAsync(string? key, IDictionary<string, string>? headers = null) =>
        GatewayKeyLogin.ClientAsync(Mcp.Endpoint, key, headers);

    /// <summary>Logs in at the sandbox for an authorize URL the gateway gave, then visits the callback on the Api (no cookie).</summary>
    public Task CompleteLoginAsync(string authorizeUrl) => GatewayKeyLogin.CompleteAsync(Api.BaseAddress, authorizeUrl);

    /// <summary>Connects <paramref name="key"/> to the sandbox through MCP start_auth and the login form.</summary>
    public Task ConnectKeyAsync(string key, string? scopes = null) => GatewayKeyLogin.ConnectAsync(Mcp.Endpoint, Api.BaseAddress, key, scopes);

    /// <summary>A <c>name: value</c> line of a tool's answer.</summary>
    public static string Field(string text, string name)
    {
        var match = Regex.Match(text, $@"^{Regex.Escape(name)}: (?<v>\S+)\s*$", RegexOptions.Multiline);
        Assert.True(match.Success, $"no '{name}:' line in: {text}");
        return match.Groups["v"].Value;
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Disposables.DisposeInOrderAsync(_mcp, _api, _sandbox, _redis);
    }
}

[CollectionDefinition(Name)]
public sealed class McpGatewayGroup : ICollectionFixture<McpFixture>
{
    public const string Name = "mcp";
}
