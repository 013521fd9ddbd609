using System.Net;
using System.Net.Sockets;

namespace FhirGateway.Testing;

/// <summary>Loopback ports the OS reports free now.</summary>
public static class FreePort
{
    /// <summary>
    /// A free TCP port on 127.0.0.1. The two sandbox hosts must know each other's URL before either starts,
    /// so ports are chosen up front rather than by binding port 0.
    /// </summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
