using FhirGateway.Api.Tests.Auth;
using FhirGateway.Testing;

namespace FhirGateway.Api.Tests.Faults;

/// <summary>The real sandbox and the gateway on Kestrel over a persistent Redis that a test may kill and restart.</summary>
public sealed class RedisOutageFixture : IAsyncLifetime
{
    private SandboxServers? _sandbox;
    private GatewayServer? _gateway;
    private PersistentRedisServer? _redis;

    public SandboxServers Sandbox => _sandbox ?? throw new InvalidOperationException("Not started.");

    public GatewayServer Gateway => _gateway ?? throw new InvalidOperationException("Not started.");

    public PersistentRedisServer Redis => _redis ?? throw new InvalidOperationException("Not started.");

    public string CallbackUri => GatewayServer.CallbackFor(Gateway.Port);

    public async Task InitializeAsync()
    {
        var port = FreePort.Next();
        _redis = await PersistentRedisServer.StartAsync();
        _sandbox = await SandboxServers.StartAsync(new SandboxOptions { RedirectUris = [GatewayServer.CallbackFor(port)] });
        _gateway = new GatewayServer(_sandbox, port, _redis.ConnectionString);
        _gateway.StartServer();
    }

    public Task DisposeAsync() => Disposables.DisposeInOrderAsync(_gateway, _sandbox, _redis);
}
