namespace FhirGateway.AppHost;

/// <summary>Finds a command on PATH, as a shell would.</summary>
internal static class ExecutableSearch
{
    public static string? Find(string command)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var extensions = OperatingSystem.IsWindows() ? new[] { ".exe", ".cmd", "" } : [""];
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(dir => extensions.Select(ext => Path.Combine(dir, command + ext)))
            .FirstOrDefault(File.Exists);
    }
}
