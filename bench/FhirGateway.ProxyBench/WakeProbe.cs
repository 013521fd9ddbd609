using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace FhirGateway.ProxyBench;

/// <summary>
/// What the machine charges for a wake-up, the floor under every hop's latency below saturation: a one-byte round trip
/// over loopback TCP between two threads, each idle for a gap before it (as a connection is between paced requests),
/// with both threads on one CPU and then on two. A request through a proxy is two such round trips where a direct one
/// is one (client to proxy to upstream and back); with the proxy on a core of its own all four of its wake-ups cross
/// cores. On a virtual machine whose idle virtual CPUs halt to the host, a wake-up across cores after a gap costs
/// what a hypervisor's interrupt delivery costs. Linux only (thread affinity); on one CPU only the one-core column.
/// </summary>
internal static partial class WakeProbe
{
    private static readonly TimeSpan[] Gaps = [TimeSpan.Zero, TimeSpan.FromMilliseconds(0.1), TimeSpan.FromMilliseconds(0.5)];
    private static readonly double[] Percentiles = [0.50, 0.99, 0.999];
    private const int RoundTrips = 2000;

    /// <summary>A Markdown table for the run's header, or null where threads cannot be pinned.</summary>
    public static string? Describe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var table = new StringBuilder()
            .AppendLine("Wake-ups here: a one-byte loopback TCP round trip between two threads, each idle for the gap before it, p50 / p99 / p99.9 µs (`--wake-probe`):")
            .AppendLine()
            .AppendLine("| idle gap | one core | two cores |")
            .AppendLine("|---:|---:|---:|");
        var twoCores = CpuCount() > 1;
        foreach (var gap in Gaps)
        {
            if (Measure(0, 0, gap) is not { } same)
            {
                return null;
            }

            var across = twoCores ? Measure(0, 1, gap) : null;
            table.AppendLine(CultureInfo.InvariantCulture, $"| {gap.TotalMilliseconds} ms | {Format(same)} | {(across is null ? "–" : Format(across))} |");
        }

        return table.ToString();
    }

    private static string Format(double[] microseconds) =>
        string.Join(" / ", microseconds.Select(m => m.ToString("F0", CultureInfo.InvariantCulture)));

    /// <summary>The round trip's p50, p99 and p99.9 in µs, the pinger on <paramref name="pingCpu"/> and the echo on <paramref name="echoCpu"/>.</summary>
    private static double[]? Measure(int pingCpu, int echoCpu, TimeSpan gap)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var ping = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        ping.Connect(listener.LocalEndPoint!);
        using var echo = listener.Accept();
        echo.NoDelay = true;

        bool echoPinned = false, pingPinned = false;
        var echoer = new Thread(() =>
        {
            echoPinned = Pin(echoCpu);
            var buffer = new byte[1];
            while (echo.Receive(buffer) == 1 && buffer[0] != 0)
            {
                echo.Send(buffer);
            }
        }) { IsBackground = true, Name = "wake probe echo" };

        var ticks = new long[RoundTrips];
        var pinger = new Thread(() =>
        {
            pingPinned = Pin(pingCpu);
            PreciseSleep.UseFineTimerSlack();
            var buffer = new byte[] { 1 };
            var idle = (long)(gap.TotalSeconds * Stopwatch.Frequency);
            for (var i = 0; i < RoundTrips; i++)
            {
                PreciseSleep.Until(Stopwatch.GetTimestamp() + idle);
                var start = Stopwatch.GetTimestamp();
                ping.Send(buffer);
                ping.Receive(buffer);
                ticks[i] = Stopwatch.GetTimestamp() - start;
            }

            ping.Send(new byte[] { 0 });
        }) { IsBackground = true, Name = "wake probe ping" };

        echoer.Start();
        pinger.Start();
        pinger.Join();
        echoer.Join();
        if (!echoPinned || !pingPinned)
        {
            return null;
        }

        Array.Sort(ticks);
        return [.. Percentiles.Select(p => LoadResult.PercentileTicks(ticks, p) * 1e6 / Stopwatch.Frequency)];
    }

    /// <summary>CPUs online (<c>/sys/devices/system/cpu/online</c>, e.g. <c>0-1</c>); 1 when unreadable.</summary>
    private static int CpuCount()
    {
        try
        {
            var online = File.ReadAllText("/sys/devices/system/cpu/online").Trim();
            return online.Split(',').Sum(range => range.Split('-') is [var from, var to]
                ? int.Parse(to, CultureInfo.InvariantCulture) - int.Parse(from, CultureInfo.InvariantCulture) + 1
                : 1);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException or FormatException)
        {
            return 1;
        }
    }

    /// <summary>Pins the calling thread to one CPU (may leave the process's own <c>taskset</c> list: the probe is about the machine).</summary>
    private static unsafe bool Pin(int cpu)
    {
        var mask = stackalloc ulong[16];
        new Span<ulong>(mask, 16).Clear();
        mask[cpu / 64] = 1UL << (cpu % 64);
        return SchedSetAffinity(0, 16 * sizeof(ulong), mask) == 0;
    }

    [LibraryImport("libc", EntryPoint = "sched_setaffinity")]
    private static unsafe partial int SchedSetAffinity(int threadId, nuint size, ulong* mask);
}
