using System.Text.Json;
using System.Text.Json.Nodes;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// Rewrites a Bulk Data export manifest (Bulk Data Access 2.0 export.html, "Response - Complete Status") so that a
/// client downloads the files through the gateway with its own session: <c>request</c> and every
/// <c>output[].url</c>, <c>error[].url</c> and <c>deleted[].url</c> inside the platform base become gateway URLs
/// (<see cref="GatewayLinks"/>, so the <c>_page</c> route checks them again when they come back). A file URL outside
/// the base (e.g. a pre-signed storage URL, <c>requiresAccessToken: false</c>) is left as it is: the gateway cannot
/// fetch it (SSRF rule) and the client needs no platform token for it.
/// </summary>
internal static class BulkManifestRewriter
{
    private static readonly string[] FileLists = ["output", "error", "deleted"];

    /// <summary>The rewritten manifest, or null when <paramref name="json"/> is not one (leave it as it is).</summary>
    public static byte[]? Rewrite(ReadOnlySpan<byte> json, GatewayLinks links)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return null;
        }

        // A manifest is not a FHIR resource: no resourceType, but transactionTime, request and output.
        if (root is not JsonObject manifest || manifest.ContainsKey("resourceType")
            || manifest["transactionTime"] is null || manifest["output"] is not JsonArray)
        {
            return null;
        }

        RewriteUrl(manifest, "request", links);
        foreach (var list in FileLists)
        {
            if (manifest[list] is JsonArray files)
            {
                foreach (var file in files.OfType<JsonObject>())
                {
                    RewriteUrl(file, "url", links);
                }
            }
        }

        using var buffer = new MemoryStream(json.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            manifest.WriteTo(writer);
        }

        return buffer.ToArray();
    }

    private static void RewriteUrl(JsonObject holder, string name, GatewayLinks links)
    {
        if (holder[name] is JsonValue value && value.TryGetValue<string>(out var url) && links.Rewrite(url) is { } rewritten)
        {
            holder[name] = rewritten;
        }
    }
}
