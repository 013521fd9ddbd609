namespace FhirGateway.Testing;

/// <summary>Finds folders of the repository from a test's output directory.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The folder that holds <c>FhirGateway.sln</c>.</summary>
    public static string Root => RootPath.Value;

    /// <summary>The local SMART sandbox (<c>sandbox/</c>).</summary>
    public static string Sandbox => Path.Combine(Root, "sandbox");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FhirGateway.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No FhirGateway.sln above {AppContext.BaseDirectory}.");
    }
}
