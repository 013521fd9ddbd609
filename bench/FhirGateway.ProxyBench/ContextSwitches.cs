using System.Globalization;

namespace FhirGateway.ProxyBench;

/// <summary>
/// How often a process's threads left the CPU, summed over its threads (<c>/proc/&lt;pid&gt;/task/*/status</c>):
/// voluntary, when a thread waited (for a socket, a lock, work), each a wake-up to pay for later; involuntary, when
/// the scheduler preempted it for another runnable thread, which holds up whatever that thread was doing (on cores
/// shared with the load generator, mostly its threads). Linux only; zero elsewhere. Read per thread
/// (<see cref="ReadThreads"/>) and compared thread by thread (<see cref="Between"/>): a thread that exits takes its
/// counts with it, and a sum over the threads of each moment went below zero when one did (fourteenth session).
/// </summary>
internal readonly record struct ContextSwitches(long Voluntary, long Involuntary)
{
    public static ContextSwitches operator -(ContextSwitches after, ContextSwitches before) =>
        new(after.Voluntary - before.Voluntary, after.Involuntary - before.Involuntary);

    public static ContextSwitches operator +(ContextSwitches a, ContextSwitches b) => new(a.Voluntary + b.Voluntary, a.Involuntary + b.Involuntary);

    /// <summary>What the threads alive at <paramref name="after"/> did since <paramref name="before"/> (new ones since they started).</summary>
    public static ContextSwitches Between(IReadOnlyDictionary<string, ContextSwitches> before, IReadOnlyDictionary<string, ContextSwitches> after) =>
        after.Aggregate(default(ContextSwitches), (sum, thread) => sum + (thread.Value - before.GetValueOrDefault(thread.Key)));

    /// <summary>Each thread's counts so far, by thread id.</summary>
    public static IReadOnlyDictionary<string, ContextSwitches> ReadThreads(int processId)
    {
        var threads = new Dictionary<string, ContextSwitches>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/task"))
            {
                try
                {
                    long voluntary = 0, involuntary = 0;
                    foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                    {
                        voluntary += Count(line, "voluntary_ctxt_switches:");
                        involuntary += Count(line, "nonvoluntary_ctxt_switches:");
                    }

                    threads[Path.GetFileName(task)] = new ContextSwitches(voluntary, involuntary);
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

        return threads;
    }

    private static long Count(string line, string field) =>
        line.StartsWith(field, StringComparison.Ordinal) ? long.Parse(line.AsSpan(field.Length).Trim(), NumberStyles.None, CultureInfo.InvariantCulture) : 0;
}
