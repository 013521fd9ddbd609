using System.Net;
using FhirGateway.Core.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
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

        AddUpstreamClient(services, FhirHttpClients.Upstream, traced: true);
        AddUpstreamClient(services, FhirHttpClients.Untraced, traced: false);

        services.TryAddSingleton<GatewayAudit>();
        services.TryAddSingleton<AuditedFhirCalls>();
        services.TryAddSingleton<PlatformUpstreams>();
        services.TryAddSingleton<UpstreamResilience>();
        services.TryAddSingleton<UpstreamTokens>();
        services.AddSingleton<UpstreamSender>();
        services.AddSingleton<CapabilityCache>();
        services.AddSingleton<IFhirClient, FhirClient>();
        return services;
    }

    private static void AddUpstreamClient(IServiceCollection services, string name, bool traced) =>
        services.AddHttpClient(name)
            .ConfigurePrimaryHttpMessageHandler(() =>
            {
                var handler = new SocketsHttpHandler
                {
                    UseCookies = false,
                    AllowAutoRedirect = false,
                    // None: the forwarder relays answers as the platform encoded them, the FHIR client decodes
                    // what it reads itself (UpstreamContentCoding).
                    AutomaticDecompression = DecompressionMethods.None,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    ConnectTimeout = TimeSpan.FromSeconds(10),
                };
                if (!traced)
                {
                    // No propagator: SocketsHttpHandler leaves out its diagnostics handler (UpstreamTracing).
                    handler.ActivityHeadersPropagator = null;
                }

                return handler;
            })
            // The handler's lifetime is the pool's: keep one handler rather than rotating it every two minutes.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            // The factory's request logging would write every upstream URL (its query carries PHI) and costs a scope
            // and two log states per proxied call; the audit event is the record of each call.
            .RemoveAllLoggers()
            // These clients are a proxy's, so they take no handler from the ServiceDefaults: their standard resilience
            // handler retries POSTs (a create or a transaction could run twice) and imposes its own timeouts
            // (UpstreamResilience replaces it, per platform), and service discovery has nothing to resolve in a
            // platform's absolute base URL but still runs on every call. (RemoveAllResilienceHandlers is
            // experimental, EXTEXP0001.)
            .ConfigureAdditionalHttpMessageHandlers((handlers, _) => handlers.Clear());

    /// <summary>
    /// Adds <see cref="IFhirProxy"/>, the REST front-end's fast path for answers that need no body work, on YARP's
    /// forwarder. Needs <see cref="AddFhirClient"/>. The forwarder's own log (every upstream URL, whose query carries
    /// PHI, at Information) is switched off: the audit event records each call, the error mapper each failure.
    /// </summary>
    public static IServiceCollection AddFhirProxy(this IServiceCollection services)
    {
        services.AddHttpForwarder();
        services.Configure<LoggerFilterOptions>(filters => filters.AddFilter("Yarp", LogLevel.None));
        services.TryAddSingleton<IFhirProxy, FhirProxy>();
        return services;
    }
}
