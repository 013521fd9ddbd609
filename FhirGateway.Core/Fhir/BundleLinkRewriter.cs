using System.Text.Json;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// Rewrites <c>Bundle.link[].url</c> (self, first, previous, next, last; FHIR R4 bundle.html §2.36.3) with
/// <see cref="GatewayLinks"/>. A link outside the platform base is removed rather than handed to the client,
/// which could not follow it through the gateway. Anything that is not a Bundle is returned unchanged.
/// One pass of <see cref="Utf8JsonReader"/> over the buffered body finds the top-level <c>link</c> array; only
/// its <c>url</c> strings and dropped link objects are spliced, everything else (entries included) is copied as sent.
/// The pass stops once <c>resourceType</c> and the links are read: what precedes them must be JSON (else 502), what
/// follows is relayed unread, like a Bundle too large to buffer (<see cref="BundleLinkStream"/>) and like any proxy.
/// </summary>
internal static class BundleLinkRewriter
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 256 };

    /// <summary>The rewritten body, or null when it is well-formed JSON but not a Bundle with links (leave it as it is).</summary>
    /// <exception cref="JsonException">
    /// The body, said to be JSON, is not (truncated, comments, empty), up to its links; or, when it is not a Bundle
    /// with links first, anywhere (trailing content included).
    /// </exception>
    public static PooledBytes? Rewrite(ReadOnlySpan<byte> json, GatewayLinks links) => Edits(json, links)?.Apply(json);

    /// <summary>
    /// The edits that rewrite the links, or null when the body is well-formed JSON but not a Bundle with links: the
    /// answer is written with them applied (<see cref="MemoryBody"/>), not copied into a second buffer first.
    /// </summary>
    /// <exception cref="JsonException">As for <see cref="Rewrite"/>.</exception>
    public static JsonSplice? Edits(ReadOnlySpan<byte> json, GatewayLinks links)
    {
        var splice = new JsonSplice();
        return Scan(json, links, splice) ? splice : null;
    }

    /// <summary>Walks the root object's properties; true when it is a Bundle with a <c>link</c> array.</summary>
    private static bool Scan(ReadOnlySpan<byte> json, GatewayLinks links, JsonSplice splice)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        // JSON does not fix property order: resourceType may come after link, so decide at the end.
        bool? isBundle = null;
        var hasLinks = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("resourceType"u8))
            {
                reader.Read();
                isBundle = isBundle != false && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("Bundle"u8);
                reader.Skip();
            }
            else if (reader.ValueTextEquals("link"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    hasLinks = true;
                    RewriteArray(ref reader, links, splice);
                    if (isBundle == true)
                    {
                        // All there is to rewrite is done: the rest (the entries) is relayed as sent, unparsed, as the
                        // streamed path does. Reading it cost more than everything else a search does.
                        return true;
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // Anything after the root object but whitespace makes Read throw: not JSON.
        return !reader.Read() && isBundle == true && hasLinks;
    }

    /// <summary>
    /// Rewrites each link object's <c>url</c>; a link whose url is outside the base is removed with one of the
    /// commas next to it, so the separators and whitespace of the links that stay are kept.
    /// </summary>
    internal static void RewriteArray(ref Utf8JsonReader reader, GatewayLinks links, JsonSplice splice)
    {
        var keptBefore = false;
        var previousEnd = 0;
        var pendingStart = -1;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = (int)reader.TokenStartIndex;
            if (pendingStart >= 0)
            {
                // A removed link with no kept link before it goes with the comma after it.
                splice.Remove(pendingStart, start);
                pendingStart = -1;
            }

            var mark = splice.Count;
            var keep = true;
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                keep = RewriteLink(ref reader, links, splice);
            }
            else
            {
                reader.Skip();
            }

            var end = (int)reader.BytesConsumed;
            if (keep)
            {
                keptBefore = true;
            }
            else
            {
                splice.Truncate(mark);
                if (keptBefore)
                {
                    // ... and otherwise with the comma before it.
                    splice.Remove(previousEnd, end);
                }
                else
                {
                    pendingStart = start;
                }
            }

            previousEnd = end;
        }

        if (pendingStart >= 0)
        {
            splice.Remove(pendingStart, previousEnd);
        }
    }

    /// <summary>Rewrites the link object's <c>url</c> strings; false when one is outside the base (drop the link).</summary>
    private static bool RewriteLink(ref Utf8JsonReader reader, GatewayLinks links, JsonSplice splice)
    {
        var keep = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isUrl = reader.ValueTextEquals("url"u8);
            reader.Read();
            if (isUrl && reader.TokenType == JsonTokenType.String)
            {
                if (!reader.ValueIsEscaped && links.TryRewritePlain(reader.ValueSpan, out var plain))
                {
                    // The common link, rewritten from its bytes: no string made.
                    splice.ReplaceUnescaped((int)reader.TokenStartIndex, (int)reader.BytesConsumed, plain);
                }
                else if (links.Rewrite(reader.GetString()!) is { } rewritten)
                {
                    splice.Replace((int)reader.TokenStartIndex, (int)reader.BytesConsumed, rewritten);
                }
                else
                {
                    keep = false;
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return keep;
    }
}
