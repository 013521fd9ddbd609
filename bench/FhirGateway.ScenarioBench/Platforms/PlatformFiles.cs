using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FhirGateway.Core.Platforms;

namespace FhirGateway.ScenarioBench.Platforms;

/// <summary>
/// A temporary folder of valid platform files made from the shipped ones: file i copies shipped file i mod 68
/// under a new id (<c>{id}-{i:D4}</c>), with its names numbered and its aliases suffixed so they stay unique. So
/// every kind of file (payer, EHR, lab; draft and active; placeholders, backend services) appears ~15 times.
/// </summary>
internal sealed class PlatformFiles : IDisposable
{
    private PlatformFiles(string folder) => Folder = folder;

    public string Folder { get; }

    /// <summary>The shipped folder, copied next to the binaries by FhirGateway.Core.</summary>
    public static string Shipped => PlatformRegistryOptions.DefaultPath;

    public static IReadOnlyList<string> ShippedFiles() =>
        [.. Directory.EnumerateFiles(Shipped, "*.json").Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    public static PlatformFiles Generate(int count)
    {
        var templates = ShippedFiles().Select(f => JsonNode.Parse(File.ReadAllText(f), documentOptions: new JsonDocumentOptions
        {
            CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true,
        })!.AsObject()).ToArray();
        var folder = Directory.CreateTempSubdirectory("scenario-bench-platforms-").FullName;
        var indented = new JsonSerializerOptions { WriteIndented = true };
        for (var i = 0; i < count; i++)
        {
            var file = templates[i % templates.Length].DeepClone().AsObject();
            var suffix = i.ToString("D4", CultureInfo.InvariantCulture);
            var id = $"{file["id"]!.GetValue<string>()}-{suffix}";
            file["id"] = id;
            file["name"] = $"{file["name"]!.GetValue<string>()} #{suffix}";
            file["display_name"] = $"{file["display_name"]!.GetValue<string>()} #{suffix}";
            if (file["aliases"] is JsonArray aliases)
            {
                file["aliases"] = new JsonArray([.. aliases.Select(a => (JsonNode)$"{a!.GetValue<string>()}-{suffix}")]);
            }

            File.WriteAllText(Path.Combine(folder, id + ".json"), file.ToJsonString(indented));
        }

        return new PlatformFiles(folder);
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
