using System.Net;
using FhirGateway.Core.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
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
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            // The ServiceDefaults give every client the standard resilience handler: it retries POSTs (a create or a
            // transaction could run twice) and imposes its own timeouts. UpstreamPipelines replaces it, per platform.
            // (RemoveAllResilienceHandlers does the same but is marked experimental, EXTEXP0001.)
            .ConfigureAdditionalHttpMessageHandlers((handlers, _) =>
            {
                foreach (var resilience in handlers.OfType<ResilienceHandler>().ToList())
                {
                    handlers.Remove(resilience);
                }
            });

        services.TryAddSingleton<GatewayAudit>();
        services.AddSingleton<UpstreamPipelines>();
        services.AddSingleton<UpstreamSender>();
        services.AddSingleton<CapabilityCache>();
        services.AddSingleton<IFhirClient, FhirClient>();
        return services;
    }
}
