using System.IO.Compression;
using System.Net;
using FhirGateway.Core.Errors;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// Content codings on the answers the FHIR client reads (<see cref="UpstreamSender"/>): it asks for gzip and Brotli and
/// decodes what comes back, so Bundles are read, rewritten and relayed as JSON. SocketsHttpHandler's automatic
/// decompression did the same, but it added its <c>Accept-Encoding</c> as three parsed header values per request,
/// enumerated them again, and ran one more async layer: a fortieth of a search's allocations (ProxyBench allocation
/// profile, 2026-11-29). Here the header is one constant string and decoding costs nothing unless the answer is
/// encoded. <c>deflate</c> is not asked for: servers disagree on its framing (zlib or raw, RFC 9110 §8.4.1.2).
/// The forwarder's answers are not decoded at all: they go back as the platform encoded them (<see cref="ProxiedCall"/>).
/// </summary>
internal static class UpstreamContentCoding
{
    /// <summary>The codings the FHIR client asks for.</summary>
    public const string Accepted = "gzip, br";

    /// <summary>Asks for <see cref="Accepted"/>.</summary>
    public static void Accept(HttpRequestMessage message) => message.Headers.TryAddWithoutValidation("Accept-Encoding", Accepted);

    /// <summary>
    /// Replaces an encoded answer's content with its decoded body (the other content headers kept, without
    /// <c>Content-Encoding</c> and the encoded <c>Content-Length</c>). An answer without a body or without a coding
    /// (or with <c>identity</c>) stays as it is.
    /// </summary>
    /// <exception cref="UpstreamException">502: a coding the client did not ask for; nothing is relayed.</exception>
    public static void Decode(HttpResponseMessage response, string platformId)
    {
        var content = response.Content;
        if (content.Headers.ContentLength == 0 || !content.Headers.NonValidated.TryGetValues("Content-Encoding", out var values))
        {
            return;
        }

        var coding = values.ToString().Trim();
        if (coding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var gzip = coding.Equals("gzip", StringComparison.OrdinalIgnoreCase) || coding.Equals("x-gzip", StringComparison.OrdinalIgnoreCase);
        if (!gzip && !coding.Equals("br", StringComparison.OrdinalIgnoreCase))
        {
            throw new UpstreamException(HttpStatusCode.BadGateway, $"Platform '{platformId}' answered in a content coding the gateway did not ask for (it accepts {Accepted}).");
        }

        var encoded = content.ReadAsStream();
        var decoded = new StreamContent(gzip ? new GZipStream(encoded, CompressionMode.Decompress) : new BrotliStream(encoded, CompressionMode.Decompress));
        foreach (var header in content.Headers.NonValidated)
        {
            if (!header.Key.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase) && !header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                decoded.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string>)header.Value);
            }
        }

        // The decoded content owns the encoded stream: disposing the answer still releases its connection.
        response.Content = decoded;
    }
}
