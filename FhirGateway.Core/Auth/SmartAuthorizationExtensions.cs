using FhirGateway.Core.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Auth;

/// <summary>Registers the SMART authorization service.</summary>
public static class SmartAuthorizationExtensions
{
    /// <summary>
    /// Adds <see cref="ISmartAuthorization"/> and its settings (<see cref="SmartAuthOptions"/>, validated at start).
    /// Needs the platform registry and a token store (<c>ITokenStore</c>, <c>IConnectionLock</c>,
    /// <c>IConnectionEvents</c>) registered too.
    /// </summary>
    public static IServiceCollection AddSmartAuthorization(this IServiceCollection services)
    {
        services.AddOptions<SmartAuthOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<SmartAuthOptions>, ConfigureSmartAuthOptions>();
        services.AddSingleton<IValidateOptions<SmartAuthOptions>, ValidateSmartAuthOptions>();
        services.TryAddSingleton(TimeProvider.System);

        services.AddHttpClient(SmartHttpClients.Metadata)
            .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<SmartAuthOptions>>().Value.HttpTimeout);
        services.AddHttpClient(SmartHttpClients.TokenEndpoint)
            .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<SmartAuthOptions>>().Value.HttpTimeout)
            // The ServiceDefaults give every client the standard resilience handler, which retries POSTs too. A
            // retried code exchange or refresh is refused (RFC 6749 §4.1.2: a code is single use) or, with refresh
            // token rotation, revokes the whole grant (RFC 9700 §4.14.2). So this client has no retry: one attempt,
            // bounded by the timeout above; the caller (the user reloading the callback) decides to try again.
            // (RemoveAllResilienceHandlers does the same but is marked experimental, EXTEXP0001.)
            .ConfigureAdditionalHttpMessageHandlers((handlers, _) =>
            {
                foreach (var resilience in handlers.OfType<ResilienceHandler>().ToList())
                {
                    handlers.Remove(resilience);
                }
            });

        services.TryAddSingleton<GatewayAudit>();
        services.AddSingleton<SmartDiscovery>();
        services.AddSingleton<SmartClientResolver>();
        services.AddSingleton<TokenEndpointClient>();
        services.AddSingleton<IdTokenValidator>();
        services.AddSingleton<AuthorizationStarter>();
        services.AddSingleton<AuthorizationCallbackHandler>();
        services.AddSingleton<ConnectionRefresher>();
        services.AddSingleton<ConnectionLogout>();
        services.AddSingleton<ISmartAuthorization, SmartAuthorization>();
        services.AddHostedService<SmartAuthStartupReport>();
        return services;
    }
}
