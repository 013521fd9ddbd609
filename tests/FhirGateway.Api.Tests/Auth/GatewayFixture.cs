using FhirGateway.Testing;
using Microsoft.AspNetCore.Hosting;

namespace FhirGateway.Api.Tests.Auth;

/// <summary>The real sandbox plus the gateway on Kestrel, with the in-memory token store.</summary>
public class GatewayFixture : IAsyncLifetime
{
    private SandboxServers? _sandbox;
    private GatewayServer? _gateway;

    public SandboxServers Sandbox => _sandbox ?? throw new InvalidOperationException("Not started.");

    public GatewayServer Gateway => _gateway ?? throw new InvalidOperationException("Not started.");

    public string CallbackUri => GatewayServer.CallbackFor(Gateway.Port);

    public virtual async Task InitializeAsync()
    {
        var port = FreePort.Next();
        _sandbox = await SandboxServers.StartAsync(new SandboxOptions { RedirectUris = [GatewayServer.CallbackFor(port)] });
        _gateway = new GatewayServer(_sandbox, port, await StartRedisAsync(), configure: Configure);
        _gateway.StartServer();
    }

    /// <summary>Anything more on the gateway's host.</summary>
    protected virtual void Configure(IWebHostBuilder builder)
    {
    }

    /// <summary>The token store's Redis; none for the in-memory store.</summary>
    protected virtual Task<string?> StartRedisAsync() => Task.FromResult<string?>(null);

    public virtual async Task DisposeAsync()
    {
        await Disposables.DisposeInOrderAsync(_gateway, _sandbox);
    }
}

/// <summary>The same, with a real redis-server as the token store.</summary>
public sealed class RedisGatewayFixture : GatewayFixture
{
    private RedisServer? _redis;

    public RedisServer Redis => _redis ?? throw new InvalidOperationException("Not started.");

    protected override async Task<string?> StartRedisAsync()
    {
        _redis = await RedisServer.StartAsync();
        return _redis.ConnectionString;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
