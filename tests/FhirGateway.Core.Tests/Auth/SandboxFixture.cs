using FhirGateway.Testing;

namespace FhirGateway.Core.Tests.Auth;

/// <summary>One real SMART sandbox (FHIR + OAuth servers) for the tests of a class; tokens live an hour.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    private SandboxServers? _servers;

    public SandboxServers Servers => _servers ?? throw new InvalidOperationException("The sandbox has not started.");

    public async Task InitializeAsync() =>
        _servers = await SandboxServers.StartAsync(new SandboxOptions { RedirectUris = [AuthHarness.RedirectUri] });

    public async Task DisposeAsync()
    {
        if (_servers is not null)
        {
            await _servers.DisposeAsync();
        }
    }
}
