using FhirGateway.Core.Audit;
using FhirGateway.Core.Auth;
using FhirGateway.Core.Coverage;
using FhirGateway.Core.Fhir;
using FhirGateway.Core.Platforms;
using FhirGateway.Core.Tokens;
using FhirGateway.Core.Tokens.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace FhirGateway.Core.Hosting;

/// <summary>Registers the services both front-ends share.</summary>
public static class GatewayCoreExtensions
{
    /// <summary>The Aspire connection name of the token store's Redis.</summary>
    public const string RedisConnectionName = "redis";

    /// <summary>Environment variable the original project used for the Redis URL; still accepted.</summary>
    public const string RedisUrlVariable = "FHIR_GATEWAY_REDIS_URL";

    /// <summary>
    /// Adds the gateway core. With a <c>redis</c> connection string (from Aspire) or
    /// <c>FHIR_GATEWAY_REDIS_URL</c> the token store is Redis; without either it is in memory, and the
    /// service says so in its log and in its health report.
    /// </summary>
    public static TBuilder AddGatewayCore<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var backend = RedisConfiguration.Apply(builder.Configuration) switch
        {
            true => TokenStoreBackend.Redis,
            false => TokenStoreBackend.InMemory,
        };

        if (backend == TokenStoreBackend.Redis)
        {
            // Adds the connection multiplexer, its health check and its traces; short timeouts so a Redis outage
            // answers 503 within about two seconds.
            builder.AddRedisClient(RedisConnectionName, configureOptions: RedisTimeouts.Apply);
        }

        builder.Services.AddPlatformRegistry();
        builder.Services.AddSmartAuthorization();
        builder.Services.AddFhirClient();
        builder.Services.AddCoverage();
        builder.Services.AddTokenStore(backend);
        builder.Services.AddHostedService<TokenStoreStartupReport>();
        builder.Services.AddHostedService<FhirModelWarmup>();
        builder.Services.AddHealthChecks().AddCheck<TokenStoreHealthCheck>("token-store");
        builder.AddAuditEventOutput();
        return builder;
    }
}
