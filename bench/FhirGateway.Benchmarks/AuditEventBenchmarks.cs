using BenchmarkDotNet.Attributes;
using FhirGateway.Core.Audit;
using FhirGateway.Core.Fhir;
using FhirGateway.Core.Tokens;
using Microsoft.Extensions.Logging;

namespace FhirGateway.Benchmarks;

/// <summary>
/// A FHIR call's whole audit event as the request's thread pays for it: the logger, the event's values and its line
/// written into <see cref="AuditLogProvider"/>'s pending buffer. Each iteration logs fewer events than the provider
/// holds (<see cref="AuditLogProvider.Capacity"/>) after its writer has taken the last ones, so no call waits for output.
/// </summary>
[MemoryDiagnoser]
public class AuditEventBenchmarks : IDisposable
{
    private const int EventsPerIteration = 8_192;

    private readonly AuditLogProvider _provider = new(Stream.Null, TimeProvider.System);
    private readonly ILoggerFactory _loggers;
    private readonly GatewayAudit _audit;
    private readonly OwnerKey _owner = OwnerKey.ForSession("benchmark-session");
    private readonly FhirRequest _read = new()
    {
        PlatformId = "epic-sandbox", Interaction = FhirInteraction.Read, Method = HttpMethod.Get, ResourceType = "Patient", Id = "p-123",
    };

    public AuditEventBenchmarks()
    {
        _loggers = LoggerFactory.Create(logging => logging.AddProvider(_provider));
        _audit = new GatewayAudit(_loggers);
    }

    /// <summary>Lets the writer take what the last iteration logged (it gathers for <see cref="AuditLogProvider.FlushInterval"/>).</summary>
    [IterationSetup]
    public static void LetTheWriterFlush() => Thread.Sleep(AuditLogProvider.FlushInterval * 2);

    [Benchmark(Description = "FHIR call audit event"), InvocationCount(EventsPerIteration)]
    public void FhirCall() => _audit.FhirCall(_owner, "epic-sandbox", _read, 200, TimeSpan.FromMilliseconds(12.3));

    public void Dispose()
    {
        _loggers.Dispose();
        _provider.Dispose();
        GC.SuppressFinalize(this);
    }
}
