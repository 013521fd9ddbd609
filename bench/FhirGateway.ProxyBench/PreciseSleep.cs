using System.Diagnostics;
using System.Runtime.InteropServices;

namespace FhirGateway.ProxyBench;

/// <summary>
/// Sleeps to a <see cref="Stopwatch"/> timestamp with Linux's nanosecond timers (.NET's own waits count whole
/// milliseconds); elsewhere to the next millisecond.
/// </summary>
internal static partial class PreciseSleep
{
    private const int PrSetTimerSlack = 29;

    public static void UseFineTimerSlack()
    {
        // The kernel may otherwise wake a sleeper up to 50 µs late to batch it with other timers.
        if (OperatingSystem.IsLinux())
        {
            _ = Prctl(PrSetTimerSlack, 1, 0, 0, 0);
        }
    }

    public static void Until(long timestamp)
    {
        var remaining = timestamp - Stopwatch.GetTimestamp();
        if (remaining <= 0)
        {
            return;
        }

        var nanoseconds = (long)(remaining * (1e9 / Stopwatch.Frequency));
        if (OperatingSystem.IsLinux())
        {
            var request = new Timespec(nanoseconds / 1_000_000_000, nanoseconds % 1_000_000_000);
            _ = Nanosleep(ref request, IntPtr.Zero);
        }
        else
        {
            Thread.Sleep(TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, nanoseconds / 100)));
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Timespec(long Seconds, long Nanoseconds);

    [LibraryImport("libc", EntryPoint = "nanosleep")]
    private static partial int Nanosleep(ref Timespec request, IntPtr remaining);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}
