using System.Net;
using FhirGateway.Core.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Fhir;

/// <summary>Registers the FHIR upstream client.</summary>
public static class FhirClientExtensions
{
    /// <summary>
    /// Adds <see cref="IFhirClient"/> and its settings (<see cref="FhirClientOptions"/>, validated at start).
    /// Needs the platform registry and <c>ISmartAuthorization</c>.
    /// </summary>
    public static IServiceCollection AddFhirClient(this IServiceCollection services)
    {
        services.AddOptions<FhirClientOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<FhirClientOptions>, ConfigureFhirClientOptions>();
        services.AddSingleton<IValidateOptions<FhirClientOptions>, ValidateFhirClientOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMemoryCache();

        services.AddHttpClient(FhirHttpClients.Upstream)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                UseCookies = false,
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.All,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(10),
            })
            // The handler's lifetime is the pool's: keep one handler rather than rotating it every two minutes.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            // The factory's request logging would write every upstream URL (its query carries PHI) and costs a scope
            // and two log states per proxied call; the audit event is the record of each call.
            .RemoveAllLoggers()
            // This client is a proxy's, so it takes no handler from the ServiceDefaults: their standard resilience
            // handler retries POSTs (a create or a transaction could run twice) and imposes its own timeouts
            // (UpstreamPipelines replaces it, per platform), and service discovery has nothing to resolve in a
            // platform's absolute base URL but still runs on every call. (RemoveAllResilienceHandlers is
            // experimental, EXTEXP0001.)
            .ConfigureAdditionalHttpMessageHandlers((handlers, _) => handlers.Clear());

        services.TryAddSingleton<GatewayAudit>();
        services.AddSingleton<UpstreamPipelines>();
        services.AddSingleton<UpstreamSender>();
        services.AddSingleton<CapabilityCache>();
        services.AddSingleton<IFhirClient, FhirClient>();
        return services;
    }
}
