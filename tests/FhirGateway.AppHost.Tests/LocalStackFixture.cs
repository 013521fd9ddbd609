namespace FhirGateway.AppHost.Tests;

/// <summary>The whole stack in local mode, started once for the end-to-end tests: real processes under DCP.</summary>
public sealed class LocalStackFixture : IAsyncLifetime
{
    internal static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The stack has not started.");

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FhirGateway_AppHost>(
            ["--mode", "local"], (options, _) => options.DisableDashboard = true, cts.Token);
        _app = await builder.BuildAsync(cts.Token);
        await _app.StartAsync(cts.Token);
        foreach (var name in new[] { "redis", "sandbox-fhir", "sandbox-auth", "api", "mcp" })
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(name, cts.Token);
        }
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
