using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Platforms;

/// <summary>Registers the platform registry.</summary>
public static class PlatformRegistryExtensions
{
    /// <summary>
    /// Adds <see cref="IPlatformRegistry"/>, loaded once at start from <c>FHIR_GATEWAY_PLATFORMS_PATH</c> (default:
    /// <c>platforms/</c> next to the binaries) and the <c>FHIR_GATEWAY_PLATFORM_{ID}_*</c> settings. A broken file or
    /// wrong setting stops start-up with a message naming it.
    /// </summary>
    public static IServiceCollection AddPlatformRegistry(this IServiceCollection services)
    {
        services.AddOptions<PlatformRegistryOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                var path = configuration[PlatformRegistryOptions.PathKey];
                if (path is not null)
                {
                    options.Path = path.Length == 0 ? path : Path.GetFullPath(path);
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PlatformRegistryOptions>, ValidatePlatformRegistryOptions>();
        services.AddSingleton<IPlatformRegistry>(sp => PlatformRegistry.Load(
            sp.GetRequiredService<IOptions<PlatformRegistryOptions>>().Value.Path,
            sp.GetRequiredService<IConfiguration>()));
        services.AddHostedService<PlatformRegistryStartup>();
        return services;
    }
}
