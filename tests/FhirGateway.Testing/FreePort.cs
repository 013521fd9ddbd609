using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace FhirGateway.Testing;

/// <summary>Loopback ports the OS reports free now, outside the range it hands out to outgoing connections.</summary>
public static class FreePort
{
    /// <summary>Below Linux's default ephemeral range (32768–60999) and above the registered services most hosts run.</summary>
    private const int First = 20000;
    private const int Last = 32000;

    /// <summary>Every port this process has handed out: tests start servers in parallel, and a port is free until its server binds it.</summary>
    private static readonly ConcurrentDictionary<int, bool> HandedOut = new();

    /// <summary>
    /// A free TCP port on 127.0.0.1. The two sandbox hosts must know each other's URL before either starts,
    /// so ports are chosen up front rather than by binding port 0. Not from the ephemeral range: a port taken
    /// there can be given to any outgoing connection (to Redis, to the sandbox) before the server binds it, which
    /// failed a test run with "address already in use". Candidates start at a random place, so test processes
    /// running side by side rarely try the same ones, and each is checked by binding it. Within one process a port is
    /// handed out once: two sandboxes starting side by side once drew the same free port, and the second node
    /// server to bind it failed with EADDRINUSE.
    /// </summary>
    public static int Next()
    {
        var start = Random.Shared.Next(First, Last);
        for (var i = 0; i < Last - First; i++)
        {
            var port = First + ((start - First + i) % (Last - First));
            if (!HandedOut.TryAdd(port, true))
            {
                continue;
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken by another process: try the next one.
                HandedOut.TryRemove(port, out _);
            }
        }

        throw new InvalidOperationException($"No free loopback port between {First} and {Last}.");
    }
}
