using Microsoft.Extensions.Logging;

namespace FhirGateway.Core.Audit;

/// <summary>
/// Consumes the audit events <see cref="GatewayAudit"/> logs (category <see cref="GatewayAudit.Category"/>, their
/// structured fields) and queues them for the FHIR AuditEvent writer: one audit trail, two sinks, and GatewayAudit
/// unchanged. Every other category is ignored.
/// </summary>
[ProviderAlias("FhirAuditEvents")]
internal sealed class AuditEventLoggerProvider(AuditEventQueue queue, TimeProvider time) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) =>
        categoryName == GatewayAudit.Category ? new AuditLogger(queue, time) : NotAudit.Instance;

    public void Dispose()
    {
    }

    private sealed class AuditLogger(AuditEventQueue queue, TimeProvider time) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel) && state is IReadOnlyList<KeyValuePair<string, object?>> fields && AuditRecord.From(fields, time.GetUtcNow()) is { } record)
            {
                queue.Add(record);
            }
        }
    }

    private sealed class NotAudit : ILogger
    {
        public static readonly NotAudit Instance = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => false;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }
    }
}
