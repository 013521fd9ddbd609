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

        // Checked in place: the query is rebuilt only when a value has to be lowered.
        var over = false;
        foreach (var range in query.AsSpan().Split('&'))
        {
            var pair = query.AsSpan(range);
            var equals = pair.IndexOf('=');
            if (equals < 0 ? pair is "_count" : pair[..equals] is "_count")
            {
                over |= Count(equals < 0 ? [] : pair[(equals + 1)..]) > max;
            }
        }

        if (!over)
        {
            return query;
        }

        var pairs = query.Split('&');
        for (var i = 0; i < pairs.Length; i++)
        {
            if (pairs[i].StartsWith("_count=", StringComparison.Ordinal) && Count(pairs[i].AsSpan(7)) > max)
            {
                pairs[i] = "_count=" + max.ToString(CultureInfo.InvariantCulture);
            }
        }

        return string.Join('&', pairs);
    }

    /// <summary>A <c>_count</c> value as sent (percent-encoded or not); anything but a whole number is refused.</summary>
    private static long Count(ReadOnlySpan<char> value)
    {
        var text = value.Contains('%') ? Uri.UnescapeDataString(value.ToString()).AsSpan() : value;
        return long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : throw new FhirValidationException("_count must be a whole number of entries.");
    }
}
