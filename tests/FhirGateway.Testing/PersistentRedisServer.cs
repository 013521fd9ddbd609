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

    /// <summary>
    /// Freezes the server (SIGSTOP): its connections stay open but nothing is answered, as with a hung server or
    /// a network partition. <see cref="ThawAsync"/> lets it go on.
    /// </summary>
    public Task FreezeAsync() => SignalAsync("-STOP");

    /// <summary>Lets a frozen server go on (SIGCONT); it then answers what was sent meanwhile.</summary>
    public Task ThawAsync() => SignalAsync("-CONT");

    private async Task SignalAsync(string signal)
    {
        var process = _process ?? throw new InvalidOperationException("The server is not running.");
        using var kill = System.Diagnostics.Process.Start("kill", [signal, process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} {process.Id} exited with {kill.ExitCode}.");
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
