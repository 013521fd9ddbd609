using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace FhirGateway.Core.Coverage;

/// <summary>Registers the coverage features (CRD, DTR, PAS).</summary>
public static class CoverageExtensions
{
    /// <summary>Adds <see cref="ICoverageService"/>; needs the FHIR client, the platform registry and SMART authorization.</summary>
    public static IServiceCollection AddCoverage(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.AddHttpClient(CoverageHttpClients.CdsHooks)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                UseCookies = false,
                AllowAutoRedirect = false,
                ConnectTimeout = TimeSpan.FromSeconds(10),
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            // The ServiceDefaults' standard resilience handler would retry a payer that is down for many seconds before
            // saying so; CdsHooksClient bounds each call itself and reports an unreachable payer at once.
            .ConfigureAdditionalHttpMessageHandlers((handlers, _) =>
            {
                foreach (var resilience in handlers.OfType<ResilienceHandler>().ToList())
                {
                    handlers.Remove(resilience);
                }
            });
        services.AddSingleton<CdsHooksClient>();
        services.AddSingleton<PayerFhir>();
        services.AddSingleton<PatientContext>();
        services.AddSingleton<CoverageRequirements>();
        services.AddSingleton<DocumentationTemplates>();
        services.AddSingleton<PriorAuthorization>();
        services.AddSingleton<ICoverageService, CoverageService>();
        return services;
    }
}
