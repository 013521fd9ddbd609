using System.Globalization;

namespace FhirGateway.Testing;

/// <summary>
/// A real <c>redis-server</c> on a fixed port with append-only persistence (fsync on every write) in its own
/// temporary folder, so a test can kill it as an outage would and start it again on the same port with its data.
/// </summary>
public sealed class PersistentRedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "fhirgw-redis-" + Guid.NewGuid().ToString("N"));
    private ServerProcess? _process;

    private PersistentRedisServer(int port) => Port = port;

    /// <summary>The port it listens on, the same across restarts.</summary>
    public int Port { get; }

    /// <summary>A StackExchange.Redis connection string.</summary>
    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Starts redis-server on a free port and waits until it accepts connections.</summary>
    public static async Task<PersistentRedisServer> StartAsync()
    {
        var server = new PersistentRedisServer(FreePort.Next());
        Directory.CreateDirectory(server._folder);
        await server.RestartAsync();
        return server;
    }

    /// <summary>Kills the server (SIGKILL: no clean shutdown, as in a crash).</summary>
    public async ValueTask StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>Starts it again on the same port, loading the append-only file; waits until it accepts connections.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        var executable = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "redis-server"))
            .FirstOrDefault(File.Exists) ?? throw new InvalidOperationException("redis-server is not installed (not found on PATH).");
        string[] arguments =
        [
            "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "yes", "--appendfsync", "always", "--dir", _folder,
        ];
        _process = await ServerProcess.StartAsync(executable, arguments, _folder, new Dictionary<string, string>(), "Ready to accept connections", StartTimeout);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary folder.
        }
    }
}
