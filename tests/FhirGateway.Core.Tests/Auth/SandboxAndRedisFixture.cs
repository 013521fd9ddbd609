using FhirGateway.Testing;

namespace FhirGateway.Core.Tests.Auth;

/// <summary>The SMART sandbox and a real redis-server, for replicas that share a store as deployed.</summary>
public sealed class SandboxAndRedisFixture : IAsyncLifetime
{
    private readonly SandboxFixture _sandbox = new();
    private RedisServer? _redis;

    public SandboxServers Sandbox => _sandbox.Servers;

    public RedisServer Redis => _redis ?? throw new InvalidOperationException("redis-server not started.");

    public async Task InitializeAsync()
    {
        await _sandbox.InitializeAsync();
        _redis = await RedisServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        await _sandbox.DisposeAsync();
    }
}
