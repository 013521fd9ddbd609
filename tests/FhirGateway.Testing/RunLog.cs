using System.Globalization;
using Microsoft.Extensions.Logging;

namespace FhirGateway.Testing;

/// <summary>
/// The whole test run's log check. When <see cref="DirectoryVariable"/> names a folder (.ci/run sets it), every
/// gateway host a test starts writes what it logs, at the levels it is configured with, to a file there, and the
/// sandbox auth server lists every secret it issued or received (codes, tokens, PKCE verifiers, client secret);
/// <c>tests/log-scan.sh</c> then proves no secret and no JWT reached a gateway log.
/// </summary>
public static class RunLog
{
    public const string DirectoryVariable = "FHIRGW_TEST_LOG_DIR";

    private static int _files;

    /// <summary>The folder, or null when the run does not collect logs.</summary>
    public static string? Directory =>
        Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } directory ? System.IO.Directory.CreateDirectory(directory).FullName : null;

    /// <summary>A new file name in the folder for <paramref name="kind"/>, or null when logs are not collected.</summary>
    public static string? NewFile(string kind) =>
        Directory is { } directory
            ? Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{kind}-{Environment.ProcessId}-{Interlocked.Increment(ref _files)}.txt"))
            : null;

    /// <summary>Adds the run's log file to a gateway host (nothing when logs are not collected).</summary>
    public static void AddTo(ILoggingBuilder logging, string host, params string[] secrets)
    {
        ArgumentNullException.ThrowIfNull(logging);
        if (NewFile($"gateway-{host}") is not { } file)
        {
            return;
        }

        if (secrets.Length > 0 && NewFile("secrets") is { } secretsFile)
        {
            File.AppendAllLines(secretsFile, secrets);
        }

        logging.AddProvider(new FileLog(file));
    }

    private sealed class FileLog(string path) : ILoggerProvider
    {
        private readonly Lock _gate = new();

        public ILogger CreateLogger(string categoryName) => new Writer(this, categoryName);

        public void Dispose()
        {
        }

        private void Append(string line)
        {
            lock (_gate)
            {
                File.AppendAllText(path, line);
            }
        }

        private sealed class Writer(FileLog log, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs
                    ? string.Join(' ', pairs.Select(p => $"{p.Key}={Convert.ToString(p.Value, CultureInfo.InvariantCulture)}"))
                    : "";
                log.Append($"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)} {fields} {exception}\n");
            }
        }
    }
}
