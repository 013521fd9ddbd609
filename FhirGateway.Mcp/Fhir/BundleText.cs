using System.Globalization;
using System.Text.Json;

namespace FhirGateway.Mcp.Fhir;

/// <summary>
/// A search or operation Bundle for an agent: the total, one line per resource (included ones marked), raw JSON
/// only when asked and within the budget, and the next page's token.
/// </summary>
internal static class BundleText
{
    public static string Of(JsonElement bundle, string platformId, string what, bool raw, int budget)
    {
        var entries = JsonRead.Array(bundle, "entry")
            .Where(e => JsonRead.Object(e, "resource") is not null)
            .Select(e => (Resource: JsonRead.Object(e, "resource")!.Value, Included: JsonRead.Object(e, "search") is { } search && JsonRead.Text(search, "mode") == "include"))
            .ToList();
        var included = entries.Count(e => e.Included);
        var total = bundle.TryGetProperty("total", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt32().ToString(CultureInfo.InvariantCulture) : "unknown";
        var next = PageToken.From(JsonRead.Array(bundle, "link").FirstOrDefault(l => JsonRead.Text(l, "relation") == "next") is { ValueKind: JsonValueKind.Object } link ? JsonRead.Text(link, "url") : null, platformId);

        var text = new ResultText(budget);
        text.Add($"{what} at {platformId}: {total} total, {entries.Count - included} in this page{(included > 0 ? $" (+{included} included)" : "")}.");
        if (next is not null)
        {
            text.Add($"next_page: {next}");
        }

        foreach (var (resource, isIncluded) in entries)
        {
            text.TryAdd((isIncluded ? "(included) " : "") + ResourceLine.Of(resource));
        }

        if (raw)
        {
            text.Add("Raw resources (FHIR JSON):");
            foreach (var (resource, _) in entries)
            {
                text.TryAdd(resource.GetRawText());
            }
        }

        if (next is not null)
        {
            text.Note("more results exist: call get_next_page with this platform_id and the next_page value.");
        }

        return text.ToString();
    }
}
