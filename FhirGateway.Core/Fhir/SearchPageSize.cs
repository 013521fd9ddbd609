using System.Globalization;
using FhirGateway.Core.Errors;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// Caps <c>_count</c> (FHIR R4 search.html §3.1.1.5.5: a server may return fewer than asked), so one request cannot
/// make a platform build, and the gateway buffer, an unbounded page. Larger values are lowered to the cap; the
/// Bundle's <c>next</c> link serves the rest. A value that is not a whole number is refused before any call.
/// </summary>
internal static class SearchPageSize
{
    public static string? Cap(string? query, int max)
    {
        if (string.IsNullOrEmpty(query) || !query.Contains("_count", StringComparison.Ordinal))
        {
            return query;
        }

        var pairs = query.Split('&');
        for (var i = 0; i < pairs.Length; i++)
        {
            var parts = pairs[i].Split('=', 2);
            if (parts[0] != "_count")
            {
                continue;
            }

            var text = parts.Length == 2 ? Uri.UnescapeDataString(parts[1]).Trim() : "";
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                throw new FhirValidationException("_count must be a whole number of entries.");
            }

            if (count > max)
            {
                pairs[i] = "_count=" + max.ToString(CultureInfo.InvariantCulture);
            }
        }

        return string.Join('&', pairs);
    }
}
