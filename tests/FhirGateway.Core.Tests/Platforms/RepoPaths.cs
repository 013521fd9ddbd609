namespace FhirGateway.Core.Tests.Platforms;

/// <summary>Finds the platform files copied next to the tests and the seed facts beside the repository.</summary>
internal static class RepoPaths
{
    /// <summary>The repository's platforms/, as FhirGateway.Core copies it next to the binaries.</summary>
    public static string PlatformsFolder => Path.Combine(AppContext.BaseDirectory, "platforms");

    /// <summary>The original project's seed TSV: ../shared/reference/ beside the repository root (CI lays shared/ there).</summary>
    public static string SeedFile
    {
        get
        {
            var root = RepoRoot();
            var seed = Path.GetFullPath(Path.Combine(root, "..", "shared", "reference", "platforms-seed.tsv"));
            return File.Exists(seed)
                ? seed
                : throw new FileNotFoundException($"The seed facts are missing: expected {seed} (shared/ beside the repository root {root}).", seed);
        }
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FhirGateway.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No FhirGateway.sln above {AppContext.BaseDirectory}.");
    }
}
