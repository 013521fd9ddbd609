using System.Globalization;

namespace FhirGateway.ProxyBench;

/// <summary>
/// How often a process's threads left the CPU, summed over its threads (<c>/proc/&lt;pid&gt;/task/*/status</c>):
/// voluntary, when a thread waited (for a socket, a lock, work), each a wake-up to pay for later; involuntary, when
/// the scheduler preempted it for another runnable thread, which holds up whatever that thread was doing (on cores
/// shared with the load generator, mostly its threads). Linux only; zero elsewhere. A thread that exits takes its
/// counts with it, so read steady-state periods only.
/// </summary>
internal readonly record struct ContextSwitches(long Voluntary, long Involuntary)
{
    public static ContextSwitches operator -(ContextSwitches after, ContextSwitches before) =>
        new(after.Voluntary - before.Voluntary, after.Involuntary - before.Involuntary);

    public static ContextSwitches operator +(ContextSwitches a, ContextSwitches b) => new(a.Voluntary + b.Voluntary, a.Involuntary + b.Involuntary);

    public static ContextSwitches Read(int processId)
    {
        long voluntary = 0, involuntary = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/task"))
            {
                try
                {
                    foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                    {
                        voluntary += Count(line, "voluntary_ctxt_switches:");
                        involuntary += Count(line, "nonvoluntary_ctxt_switches:");
                    }
                }
                catch (IOException)
                {
                    // The thread exited while being read.
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
            // Not Linux, or the process has exited.
        }

        return new ContextSwitches(voluntary, involuntary);
    }

    private static long Count(string line, string field) =>
        line.StartsWith(field, StringComparison.Ordinal) ? long.Parse(line.AsSpan(field.Length).Trim(), NumberStyles.None, CultureInfo.InvariantCulture) : 0;
}
