using Hl7.Fhir.Model;
using Microsoft.Extensions.Hosting;

namespace FhirGateway.Core.Hosting;

/// <summary>
/// Builds Firely's model inspector while the host starts. It is built on first use by a static initializer
/// that reflects over the whole R4 model; every request that needs it meanwhile (the resource-type route
/// constraint, body validation, writing an OperationOutcome) blocks a thread-pool thread on that initializer,
/// so the first burst of requests after a start starved the pool and even <c>/health</c> waited seconds.
/// </summary>
internal sealed class FhirModelWarmup : IHostedService
{
    public System.Threading.Tasks.Task StartAsync(CancellationToken cancellationToken)
    {
        _ = ModelInfo.ModelInspector;
        return System.Threading.Tasks.Task.CompletedTask;
    }

    public System.Threading.Tasks.Task StopAsync(CancellationToken cancellationToken) => System.Threading.Tasks.Task.CompletedTask;
}
