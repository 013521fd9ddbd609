using System.Net;
using System.Net.Sockets;

namespace FhirGateway.Testing;

/// <summary>
/// A loopback port held closed for as long as this lives: bound and never listening, so a connection to it is refused
/// at once, and no other process (a test assembly running beside this one) can start a server on it. A port from
/// <see cref="FreePort.Next"/> is only free when it is drawn: the MCP payer-down test, pointed at one, once took 10 s
/// and failed with another error than "could not be reached" (a clean-clone CI run).
/// </summary>
public sealed class ClosedPort : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public ClosedPort()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
    }

    public int Port { get; }

    public void Dispose() => _socket.Dispose();
}
