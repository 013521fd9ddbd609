using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace FhirGateway.ProxyBench;

/// <summary>
/// The Redis the gateway's token store uses in <c>--store redis</c> runs: a redis-server child process on a free
/// loopback port (persistence off), or the one given with <c>--redis host:port</c>. Holds an admin connection for
/// <c>INFO</c>.
/// </summary>
internal sealed class RedisProcess : IAsyncDisposable
{
    private readonly Process? _child;

    private RedisProcess(Process? child, string endpoint, ConnectionMultiplexer admin)
    {
        _child = child;
        Endpoint = endpoint;
        Admin = admin;
    }

    /// <summary>host:port, as StackExchange.Redis takes it.</summary>
    public string Endpoint { get; }

    public ConnectionMultiplexer Admin { get; }

    public IServer Server => Admin.GetServers()[0];

    public static async Task<RedisProcess> StartOrUseAsync(string? endpoint)
    {
        Process? child = null;
        if (endpoint is null)
        {
            var port = FreePort();
            endpoint = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
            child = Process.Start(new ProcessStartInfo("redis-server",
                ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            {
                RedirectStandardOutput = true,
            }) ?? throw new InvalidOperationException("redis-server did not start: install it (apt-get install redis-server) or pass --redis host:port.");
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var admin = await ConnectionMultiplexer.ConnectAsync($"{endpoint},allowAdmin=true");
                return new RedisProcess(child, endpoint, admin);
            }
            catch (RedisConnectionException) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary><c>INFO memory</c>'s used_memory, in bytes.</summary>
    public async Task<long> UsedMemoryAsync()
    {
        var info = await Server.InfoAsync("memory");
        var value = info.SelectMany(g => g).First(p => p.Key == "used_memory").Value;
        return long.Parse(value, CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await Admin.DisposeAsync();
        if (_child is not null)
        {
            _child.Kill();
            await _child.WaitForExitAsync();
            _child.Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
