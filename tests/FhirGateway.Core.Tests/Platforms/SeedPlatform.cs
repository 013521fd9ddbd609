using System.Text.Json;

namespace FhirGateway.Core.Tests.Platforms;

/// <summary>One row of the original project's platforms-seed.tsv.</summary>
internal sealed record SeedPlatform(IReadOnlyDictionary<string, string> Columns)
{
    public string Id => Columns["platform_id"];

    public string? this[string column] => Columns.TryGetValue(column, out var value) && value.Length > 0 ? value : null;

    public IReadOnlyList<string> List(string column) =>
        this[column] is { } json ? JsonSerializer.Deserialize<List<string>>(json) ?? [] : [];

    public static IReadOnlyList<SeedPlatform> ReadAll()
    {
        var lines = File.ReadAllLines(RepoPaths.SeedFile).Where(l => l.Length > 0).ToList();
        var header = lines[0].Split('\t').Select(h => h.Split('(')[0]).ToArray();
        return [.. lines.Skip(1).Select(line =>
        {
            var cells = line.Split('\t');
            return new SeedPlatform(header.Select((h, i) => (h, v: i < cells.Length ? cells[i] : "")).ToDictionary(c => c.h, c => c.v));
        })];
    }
}
