using Microsoft.Extensions.Configuration;
using System.Diagnostics;

namespace FhirGateway.AppHost;

/// <summary>How the upstreams the gateway needs (Redis, a FHIR server, an OAuth server) are run.</summary>
internal enum StackMode
{
    /// <summary>Containers: Redis, HAPI FHIR and Keycloak. Needs a container runtime.</summary>
    Container,

    /// <summary>Local executables: redis-server from PATH and the Node.js SMART sandbox.</summary>
    Local,
}

/// <summary>
/// Picks the stack mode from the <c>mode</c> parameter or argument (<c>auto</c>, <c>container</c>, <c>local</c>):
/// <c>auto</c>, the default, takes containers only where a container runtime actually answers.
/// </summary>
internal static class StackModeResolver
{
    /// <summary>Configuration keys read, first match wins: <c>--mode</c> on the command line or the <c>mode</c> parameter.</summary>
    internal static readonly string[] ModeKeys = ["mode", "Parameters:mode"];

    public static StackMode Resolve(IConfiguration configuration, Func<bool>? containerRuntimeAnswers = null)
    {
        var value = ModeKeys.Select(k => configuration[k]).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim() ?? "auto";
        return value.ToLowerInvariant() switch
        {
            "container" or "containers" => StackMode.Container,
            "local" => StackMode.Local,
            "auto" => (containerRuntimeAnswers ?? ContainerRuntime.Answers)() ? StackMode.Container : StackMode.Local,
            _ => throw new InvalidOperationException(
                $"The AppHost setting 'mode' is '{value}'; use 'auto', 'container' or 'local' (e.g. --mode local)."),
        };
    }
}

/// <summary>Asks the container runtime Aspire would use whether its engine is up (the CLI alone is not enough).</summary>
internal static class ContainerRuntime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static bool Answers()
    {
        // Aspire honours ASPIRE_CONTAINER_RUNTIME (docker or podman); ask that one first.
        var preferred = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME");
        string[] runtimes = string.IsNullOrWhiteSpace(preferred) ? ["docker", "podman"] : [preferred];
        return runtimes.Any(InfoSucceeds);
    }

    private static bool InfoSucceeds(string runtime)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, "info")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }

            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // The CLI is not installed.
            return false;
        }
    }
}
