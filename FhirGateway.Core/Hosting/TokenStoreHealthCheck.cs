using FhirGateway.Core.Tokens;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FhirGateway.Core.Hosting;

/// <summary>
/// Reports the in-memory store as degraded so the fallback shows on the dashboard; the Redis store's
/// reachability is checked by the Redis client's own health check.
/// </summary>
internal sealed class TokenStoreHealthCheck(TokenStoreInfo info) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(info.Backend == TokenStoreBackend.InMemory
            ? HealthCheckResult.Degraded("In-memory token store: connections are lost on restart and not shared between front-ends.")
            : HealthCheckResult.Healthy("Redis token store."));
}
