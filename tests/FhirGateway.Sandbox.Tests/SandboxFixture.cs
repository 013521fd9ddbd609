using FhirGateway.Testing;

namespace FhirGateway.Sandbox.Tests;

/// <summary>One sandbox (both hosts) for the tests of a class.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    private SandboxServers? _servers;

    public SandboxServers Servers => _servers ?? throw new InvalidOperationException("The sandbox has not started.");

    public async Task InitializeAsync() => _servers = await SandboxServers.StartAsync();

    public async Task DisposeAsync()
    {
        if (_servers is not null)
        {
            await _servers.DisposeAsync();
        }
    }
}
