using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace FhirGateway.Testing;

/// <summary>
/// A TCP front on a fixed loopback port that forwards every connection to a server behind it, and can be closed
/// (new connections refused, open ones reset) and opened again on the same port: to the clients, the server went
/// down and came back, while its process and in-memory state live on (as a real server's database would).
/// </summary>
public sealed class TcpGate : IAsyncDisposable
{
    private readonly int _targetPort;
    private readonly ConcurrentDictionary<Socket, byte> _sockets = new();
    private readonly Lock _gate = new();
    private Socket? _listener;
    private Task? _accepting;

    private TcpGate(int port, int targetPort)
    {
        Port = port;
        _targetPort = targetPort;
    }

    /// <summary>The port clients connect to, the same while closed and after reopening.</summary>
    public int Port { get; }

    /// <summary>Whether connections are forwarded now.</summary>
    public bool IsOpen
    {
        get
        {
            lock (_gate)
            {
                return _listener is not null;
            }
        }
    }

    /// <summary>Listens on <paramref name="port"/> and forwards to <paramref name="targetPort"/> on 127.0.0.1.</summary>
    public static TcpGate Open(int port, int targetPort)
    {
        var gate = new TcpGate(port, targetPort);
        gate.Open();
        return gate;
    }

    /// <summary>Listens again on the same port (no-op when open).</summary>
    public void Open()
    {
        lock (_gate)
        {
            if (_listener is not null)
            {
                return;
            }

            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, Port));
            listener.Listen(128);
            _listener = listener;
            _accepting = AcceptAsync(listener);
        }
    }

    /// <summary>Stops listening (connection refused) and resets every open connection.</summary>
    public async Task CloseAsync()
    {
        Task? accepting;
        lock (_gate)
        {
            _listener?.Dispose();
            _listener = null;
            accepting = _accepting;
            _accepting = null;
        }

        foreach (var socket in _sockets.Keys)
        {
            Reset(socket);
        }

        if (accepting is not null)
        {
            await accepting;
        }
    }

    private async Task AcceptAsync(Socket listener)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return; // closed
            }

            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        _sockets.TryAdd(client, 0);
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _sockets.TryAdd(server, 0);
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _targetPort);
            await Task.WhenAll(PumpAsync(client, server), PumpAsync(server, client));
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The gate closed or a side hung up.
        }
        finally
        {
            _sockets.TryRemove(client, out _);
            _sockets.TryRemove(server, out _);
            client.Dispose();
            server.Dispose();
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }

            // Half-close, as the sender did; the connection ends when both directions have.
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // One side reset or the gate closed: reset both, which also ends the other direction's pump.
            Reset(from);
            Reset(to);
        }
    }

    /// <summary>Closes with linger 0, so the peer sees a reset (as when a server dies) and no port stays in TIME_WAIT.</summary>
    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }

        socket.Dispose();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await CloseAsync();
}
