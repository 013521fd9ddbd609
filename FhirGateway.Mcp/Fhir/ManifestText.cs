using System.Globalization;
using System.Text.Json;
using FhirGateway.Core.Identity;

namespace FhirGateway.Mcp.Fhir;

/// <summary>
/// A bulk export manifest for an agent (Bulk Data Access 2.0 export.html, "Response - Complete Status"): one line
/// per file with its type, count (when the platform gave one) and URL as the gateway rewrote it, then the error
/// and deleted files, within the answer's budget. The files themselves are not fetched: they can be large.
/// </summary>
internal static class ManifestText
{
    public static string Of(JsonElement manifest, string platformId, int budget)
    {
        var output = JsonRead.Array(manifest, "output").ToList();
        var counts = output.Select(Count).ToList();
        var resources = counts.All(c => c is not null) ? $", {counts.Sum(c => c!.Value).ToString(CultureInfo.InvariantCulture)} resources" : "";
        var text = new ResultText(budget);
        text.Add($"Export at {platformId} complete: transaction time {JsonRead.Text(manifest, "transactionTime") ?? "?"}, {output.Count.ToString(CultureInfo.InvariantCulture)} file(s){resources}.");
        foreach (var file in output)
        {
            text.TryAdd(Line(file));
        }

        foreach (var (list, label) in (ReadOnlySpan<(string, string)>)[("error", "error file"), ("deleted", "deleted file")])
        {
            foreach (var file in JsonRead.Array(manifest, list))
            {
                text.TryAdd($"({label}) {Line(file)}");
            }
        }

        var requiresToken = !manifest.TryGetProperty("requiresAccessToken", out var requires) || requires.ValueKind != JsonValueKind.False;
        text.Note(requiresToken
            ? $"download a file with GET on its URL and the header {GatewayKey.HeaderName} this MCP client sends; each is NDJSON, one resource per line."
            : "the platform serves these files without an access token: GET each URL directly; each is NDJSON, one resource per line.");
        return text.ToString();
    }

    private static string Line(JsonElement file)
    {
        var count = Count(file) is { } n ? $"{n.ToString(CultureInfo.InvariantCulture)} resources" : null;
        return string.Join(" | ", new[] { JsonRead.Text(file, "type") ?? "?", count, JsonRead.Text(file, "url") ?? "(no url)" }.Where(p => p is not null));
    }

    private static long? Count(JsonElement file) =>
        file.TryGetProperty("count", out var count) && count.ValueKind == JsonValueKind.Number && count.TryGetInt64(out var n) ? n : null;
}
