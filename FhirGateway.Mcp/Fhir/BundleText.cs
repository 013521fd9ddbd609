using System.Globalization;
using System.Text.Json;

namespace FhirGateway.Mcp.Fhir;

/// <summary>
/// Search or operation Bundles for an agent, one page or several: the total, one line per resource (included ones
/// marked), raw JSON only when asked and within the budget, and the token of the page after the last one taken.
/// A later page goes in whole or not at all, so its token is where the agent picks up.
/// </summary>
internal sealed class BundleText(string platformId, int budget, bool raw)
{
    // Room kept beside the pages for the header, the next_page line and ResultText's closing notes.
    private const int Headroom = 1000;

    private readonly List<string> _lines = [];
    private readonly List<string> _raw = [];
    private int _chars;
    private int _matches;
    private int _included;
    private string? _total;

    /// <summary>The pages taken.</summary>
    public int Pages { get; private set; }

    /// <summary>The token of the page after the last one taken; null when there is none.</summary>
    public string? Next { get; private set; }

    /// <summary>The answer for one Bundle.</summary>
    public static string Of(JsonElement bundle, string platformId, string what, bool raw, int budget)
    {
        var text = new BundleText(platformId, budget, raw);
        text.TryAdd(bundle);
        return text.ToText(what);
    }

    /// <summary>Takes a page; false (nothing taken) when a later page would not fit whole. The first is always taken, cut to fit.</summary>
    public bool TryAdd(JsonElement bundle)
    {
        var entries = JsonRead.Array(bundle, "entry")
            .Where(e => JsonRead.Object(e, "resource") is not null)
            .Select(e => (Resource: JsonRead.Object(e, "resource")!.Value, Included: JsonRead.Object(e, "search") is { } search && JsonRead.Text(search, "mode") == "include"))
            .ToList();
        var lines = entries.Select(e => (e.Included ? "(included) " : "") + ResourceLine.Of(e.Resource)).ToList();
        var rawTexts = raw ? entries.Select(e => e.Resource.GetRawText()).ToList() : [];
        var size = lines.Concat(rawTexts).Sum(l => l.Length + 1);
        if (Pages > 0 && _chars + size > budget - Headroom)
        {
            return false;
        }

        _lines.AddRange(lines);
        _raw.AddRange(rawTexts);
        _chars += size;
        _included += entries.Count(e => e.Included);
        _matches += entries.Count(e => !e.Included);
        _total ??= bundle.TryGetProperty("total", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt32().ToString(CultureInfo.InvariantCulture) : "unknown";
        Next = PageToken.From(JsonRead.Array(bundle, "link").FirstOrDefault(l => JsonRead.Text(l, "relation") == "next") is { ValueKind: JsonValueKind.Object } link ? JsonRead.Text(link, "url") : null, platformId);
        Pages++;
        return true;
    }

    /// <summary>The answer, with <paramref name="notes"/> (why paging stopped) before the closing ones.</summary>
    public string ToText(string what, params IEnumerable<string> notes)
    {
        var where = Pages == 1 ? "in this page" : $"in {Pages.ToString(CultureInfo.InvariantCulture)} pages";
        var text = new ResultText(budget);
        text.Add($"{what} at {platformId}: {_total ?? "unknown"} total, {_matches.ToString(CultureInfo.InvariantCulture)} {where}{(_included > 0 ? $" (+{_included.ToString(CultureInfo.InvariantCulture)} included)" : "")}.");
        if (Next is not null)
        {
            text.Add($"next_page: {Next}");
        }

        foreach (var line in _lines)
        {
            text.TryAdd(line);
        }

        if (raw)
        {
            text.Add("Raw resources (FHIR JSON):");
            foreach (var json in _raw)
            {
                text.TryAdd(json);
            }
        }

        foreach (var note in notes)
        {
            text.Note(note);
        }

        if (Next is not null)
        {
            text.Note("more results exist: call get_next_page with this platform_id and the next_page value.");
        }

        return text.ToString();
    }
}
