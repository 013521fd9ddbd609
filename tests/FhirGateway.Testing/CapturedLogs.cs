using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FhirGateway.Testing;

/// <summary>Every log entry the gateway writes, at every level: category, event id, message and structured fields.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Capture(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Capture(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.ToDictionary(p => p.Key, p => Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "")
                : [];
            entries.Enqueue(new LogEntry(category, logLevel, eventId.Id, formatter(state, exception), fields, exception?.ToString()));
        }
    }
}

public sealed record LogEntry(string Category, LogLevel Level, int EventId, string Message, IReadOnlyDictionary<string, string> Fields, string? Exception)
{
    /// <summary>Everything the entry would put in a log sink.</summary>
    public string Text => $"{Category} {Message} {string.Join(' ', Fields.Select(f => $"{f.Key}={f.Value}"))} {Exception}";
}
