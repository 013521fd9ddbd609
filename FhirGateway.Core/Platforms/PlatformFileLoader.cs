using System.Text.Json;

namespace FhirGateway.Core.Platforms;

/// <summary>Reads every <c>*.json</c> platform file of a folder, validates it against the schema and the file rules.</summary>
internal static class PlatformFileLoader
{
    private const string SchemaSuffix = ".schema.json";

    /// <summary>Loads the folder's platforms, or throws one <see cref="PlatformRegistryException"/> listing every problem.</summary>
    public static IReadOnlyList<PlatformDefinition> Load(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new PlatformRegistryException($"{PlatformRegistryOptions.PathKey}: the folder '{folder}' does not exist.");
        }

        var files = Directory.EnumerateFiles(folder, "*.json")
            .Where(f => !f.EndsWith(SchemaSuffix, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            throw new PlatformRegistryException($"{PlatformRegistryOptions.PathKey}: the folder '{folder}' has no platform files (*.json).");
        }

        // Files are independent and schema evaluation dominates start-up (about half a millisecond a file): they are
        // read and validated in parallel, and the definitions and problems kept in file-name order.
        var loaded = new (PlatformDefinition? Definition, List<string> Problems)[files.Count];
        Parallel.For(0, files.Count, i =>
        {
            var fileProblems = new List<string>();
            loaded[i] = (LoadFile(files[i], fileProblems), fileProblems);
        });

        var problems = loaded.SelectMany(l => l.Problems).ToList();
        if (problems.Count > 0)
        {
            throw new PlatformRegistryException(problems);
        }

        return [.. loaded.Select(l => l.Definition).OfType<PlatformDefinition>()];
    }

    private static PlatformDefinition? LoadFile(string file, List<string> problems)
    {
        var name = Path.GetFileName(file);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            problems.Add($"{file}: not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {e.Message}");
            return null;
        }

        using (document)
        {
            var errors = PlatformSchema.Validate(document.RootElement);
            if (errors.Count > 0)
            {
                problems.AddRange(errors.Select(error => $"{file}: {error}"));
                return null;
            }

            PlatformDefinition definition;
            try
            {
                definition = document.RootElement.Deserialize(PlatformJsonContext.Default.PlatformDefinition)
                    ?? throw new JsonException("The file holds null.");
            }
            catch (JsonException e)
            {
                problems.Add($"{file}: {e.Path ?? "/"}: {e.Message}");
                return null;
            }

            var expectedId = Path.GetFileNameWithoutExtension(name);
            if (!string.Equals(definition.Id, expectedId, StringComparison.Ordinal))
            {
                problems.Add($"{file}: /id: is '{definition.Id}' but must equal the file name '{expectedId}'.");
                return null;
            }

            return definition;
        }
    }
}
