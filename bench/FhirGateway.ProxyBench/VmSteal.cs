using System.Globalization;

namespace FhirGateway.ProxyBench;

/// <summary>
/// The time the hypervisor kept this machine's virtual CPUs from running (the <c>steal</c> column of
/// <c>/proc/stat</c>, all CPUs together): a slice that saw a lot of it lost requests to the host, not to the proxy.
/// Zero where there is no <c>/proc/stat</c>.
/// </summary>
internal static class VmSteal
{
    /// <summary>Linux reports <c>/proc/stat</c> in USER_HZ ticks, 100 a second on every architecture .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    public static TimeSpan Read()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            // cpu  user nice system idle iowait irq softirq steal ...
            var fields = reader.ReadLine()?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields is { Length: > 8 } && fields[0] == "cpu" && long.TryParse(fields[8], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                ? TimeSpan.FromSeconds(ticks / TicksPerSecond)
                : TimeSpan.Zero;
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
        catch (UnauthorizedAccessException)
        {
            return TimeSpan.Zero;
        }
    }
}
