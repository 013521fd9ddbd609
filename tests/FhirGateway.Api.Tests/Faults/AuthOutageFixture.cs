using FhirGateway.Api.Tests.Auth;
using FhirGateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FhirGateway.Api.Tests.Faults;

/// <summary>
/// The sandbox with its auth server behind a <see cref="TcpGate"/> (taken down and brought back on the same
/// port), a real redis-server, and the gateway with logs captured. Access tokens live two minutes and are
/// refreshed five minutes before expiry, so every FHIR call refreshes: a connection is always "near expiry".
/// </summary>
public sealed class AuthOutageFixture : IAsyncLifetime
{
    private RedisServer? _redis;
    private SandboxServers? _sandbox;
    private GatewayServer? _gateway;

    public SandboxServers Sandbox => _sandbox ?? throw new InvalidOperationException("Not started.");

    public GatewayServer Gateway => _gateway ?? throw new InvalidOperationException("Not started.");

    public CapturedLogs Logs { get; } = new();

    public string CallbackUri => GatewayServer.CallbackFor(Gateway.Port);

    public async Task InitializeAsync()
    {
        var port = FreePort.Next();
        _redis = await RedisServer.StartAsync();
        _sandbox = await SandboxServers.StartAsync(new SandboxOptions
        {
            RedirectUris = [GatewayServer.CallbackFor(port)],
            AccessTokenLifetime = TimeSpan.FromMinutes(2),
            AuthOutages = true,
        });
        var settings = new Dictionary<string, string> { ["FHIR_GATEWAY_OAUTH_REFRESH_MARGIN_SECONDS"] = "300" };
        _gateway = new GatewayServer(_sandbox, port, _redis.ConnectionString, settings, builder => builder.ConfigureServices(services =>
            services.AddLogging(logging => logging.AddProvider(Logs))));
        _gateway.StartServer();
    }

    public Task DisposeAsync() => Disposables.DisposeInOrderAsync(_gateway, _sandbox, _redis);
}
