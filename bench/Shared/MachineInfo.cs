using System.Runtime;
using System.Runtime.InteropServices;

namespace FhirGateway.Bench;

/// <summary>The machine and date the figures belong with.</summary>
internal static class MachineInfo
{
    public static string Describe() =>
        $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC · {Environment.ProcessorCount} cores{CpuModel()} · {RuntimeInformation.OSDescription} " +
        $"({RuntimeInformation.OSArchitecture}) · {RuntimeInformation.FrameworkDescription} · {(GCSettings.IsServerGC ? "Server" : "Workstation")} GC";

    /// <summary>The CPU model from /proc/cpuinfo on Linux; empty elsewhere.</summary>
    private static string CpuModel()
    {
        const string File = "/proc/cpuinfo";
        if (!System.IO.File.Exists(File))
        {
            return "";
        }

        var model = System.IO.File.ReadLines(File).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return model is null ? "" : $" ({model[(model.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()})";
    }
}
