using System.Text.Json;
using System.Text.Json.Nodes;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// Rewrites <c>Bundle.link[].url</c> (self, first, previous, next, last; FHIR R4 bundle.html §2.36.3) with
/// <see cref="GatewayLinks"/>. A link outside the platform base is removed rather than handed to the client,
/// which could not follow it through the gateway. Anything that is not a Bundle is returned unchanged.
/// </summary>
internal static class BundleLinkRewriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false };

    /// <summary>The rewritten body, or null when it is not a JSON Bundle with links (leave it as it is).</summary>
    public static byte[]? Rewrite(ReadOnlySpan<byte> json, GatewayLinks links)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException)
        {
            return null;
        }

        if (root is not JsonObject bundle || (string?)bundle["resourceType"] != "Bundle" || bundle["link"] is not JsonArray array)
        {
            return null;
        }

        foreach (var link in array.OfType<JsonObject>().ToList())
        {
            if (link["url"] is JsonValue url && url.TryGetValue<string>(out var value))
            {
                if (links.Rewrite(value) is { } rewritten)
                {
                    link["url"] = rewritten;
                }
                else
                {
                    array.Remove(link);
                }
            }
        }

        using var buffer = new MemoryStream(json.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            bundle.WriteTo(writer);
        }

        return buffer.ToArray();
    }
}
