namespace FhirGateway.ProxyBench;

/// <summary>
/// A log sink that formats every event (as a console or OTLP exporter would) and then drops it, counting them:
/// the audit event's cost is measured, the I/O of shipping it is not.
/// </summary>
internal sealed class AuditSink : ILoggerProvider, ILogger
{
    private long _events;
    private long _characters;

    public long Events => Interlocked.Read(ref _events);

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        Interlocked.Add(ref _characters, formatter(state, exception).Length);
        Interlocked.Increment(ref _events);
    }

    public void Dispose()
    {
    }
}
