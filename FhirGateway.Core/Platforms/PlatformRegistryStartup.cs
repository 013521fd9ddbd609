using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FhirGateway.Core.Platforms;

/// <summary>Builds the registry while the host starts, so a broken platform file stops start-up instead of a first request.</summary>
internal sealed partial class PlatformRegistryStartup(IPlatformRegistry registry, ILogger<PlatformRegistryStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolving the registry here is what builds it at start.
        var usable = registry.All.Count(p => p.IsUsable);
        LogLoaded(logger, registry.All.Count, usable);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Platform registry: {Count} platforms loaded, {Usable} usable as configured.")]
    private static partial void LogLoaded(ILogger logger, int count, int usable);
}
