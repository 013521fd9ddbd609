using System.Diagnostics;
using System.Globalization;
using FhirGateway.Core.Platforms;
using Microsoft.Extensions.Configuration;

namespace FhirGateway.ScenarioBench.Platforms;

/// <summary>
/// The registry built as the Api builds it at start (<see cref="PlatformRegistryExtensions.AddPlatformRegistry"/>,
/// then resolving <see cref="IPlatformRegistry"/>: read, parse, schema-validate, cross-check, resolve settings,
/// index), timed in a fresh child process so the JIT, the schema's first evaluation and a cold file cache for
/// the code are in the figure, as on a real start.
/// </summary>
internal static class RegistryStartup
{
    private const string ResultPrefix = "registry-ms=";

    /// <summary>Child side: builds the registry from <paramref name="folder"/> and prints the milliseconds and count.</summary>
    public static int RunChild(string folder)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        using var services = Build(folder);
        var registry = services.GetRequiredService<IPlatformRegistry>();
        var elapsed = Stopwatch.GetElapsedTime(started);
        process.Refresh();
        var cpuUsed = process.TotalProcessorTime - cpu;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{ResultPrefix}{elapsed.TotalMilliseconds:F1} cpu-ms={cpuUsed.TotalMilliseconds:F1} count={registry.All.Count}"));
        return 0;
    }

    /// <summary>The services the Api's start uses for the registry, over <paramref name="folder"/>.</summary>
    public static ServiceProvider Build(string folder)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [PlatformRegistryOptions.PathKey] = folder })
            .Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddPlatformRegistry()
            .BuildServiceProvider();
    }

    /// <summary>
    /// Parent side: the build's wall time in a cold child process and the CPU time it used (all threads; the
    /// wall time's share of a loaded machine's cores is noise, the CPU time much less so), in milliseconds, and the
    /// platforms it loaded.
    /// </summary>
    public static async Task<(double Milliseconds, double CpuMilliseconds, int Count)> MeasureColdAsync(string folder)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(RegistryStartup).Assembly.Location);
        }

        start.ArgumentList.Add("--measure-registry");
        start.ArgumentList.Add(folder);
        using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the child process.");
        var output = await child.StandardOutput.ReadToEndAsync();
        var errors = await child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The registry child process failed (exit {child.ExitCode}): {errors}{output}");
        var parts = line.Trim().Split(' ');
        return (double.Parse(parts[0][ResultPrefix.Length..], CultureInfo.InvariantCulture),
            double.Parse(parts[1]["cpu-ms=".Length..], CultureInfo.InvariantCulture),
            int.Parse(parts[2]["count=".Length..], CultureInfo.InvariantCulture));
    }
}
