using System.Globalization;

namespace FhirGateway.Testing;

/// <summary>
/// A real <c>redis-server</c> on 127.0.0.1 and a free port, with persistence off, for one test run. Needs
/// redis-server on the PATH (<c>apt-get install redis-server</c>; .ci/run installs it).
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly ServerProcess _process;

    private RedisServer(ServerProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>A StackExchange.Redis connection string, e.g. <c>127.0.0.1:40123</c>.</summary>
    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Whether the server is still running.</summary>
    public bool IsRunning => _process.IsRunning;

    /// <summary>What the server printed, for failure messages.</summary>
    public string Output => _process.Output;

    /// <summary>Starts redis-server and waits until it accepts connections.</summary>
    public static async Task<RedisServer> StartAsync()
    {
        var executable = FindOnPath("redis-server") ?? throw new InvalidOperationException(
            "redis-server is not installed (not found on PATH). Install it, e.g. 'apt-get install redis-server' (.ci/run does), to run the Redis tests.");
        var port = FreePort.Next();
        string[] arguments = ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
        var process = await ServerProcess.StartAsync(
            executable, arguments, Path.GetTempPath(), new Dictionary<string, string>(), "Ready to accept connections", StartTimeout);
        return new RedisServer(process, port);
    }

    /// <summary>Kills the server (as a crash or outage would); same as dispose.</summary>
    public ValueTask StopAsync() => _process.DisposeAsync();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
}
