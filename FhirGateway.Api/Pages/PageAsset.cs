using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace FhirGateway.Api.Pages;

/// <summary>
/// One file of the connections page, embedded in the assembly (so a container image needs no wwwroot), served
/// with a strict CSP. The HTML is never stored (it is the entry to a personal page); the script and style are
/// revalidated by ETag, so a new build is picked up at once.
/// </summary>
internal sealed class PageAsset
{
    /// <summary>Same-origin script, style and fetch only; no inline script, no framing, no plugins.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private readonly byte[] _content;
    private readonly string _contentType;
    private readonly string _etag;
    private readonly bool _isDocument;

    public PageAsset(string fileName, string contentType)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"FhirGateway.Api.Pages.{fileName}")
            ?? throw new InvalidOperationException($"The page file {fileName} is not embedded in FhirGateway.Api.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        _content = buffer.ToArray();
        _contentType = contentType;
        _etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(_content))[..16]}\"";
        _isDocument = contentType.StartsWith("text/html", StringComparison.Ordinal);
    }

    public IResult Serve(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        // Neither the page's query (?connected=, ?error=) nor its path goes to the platforms it links to.
        headers["Referrer-Policy"] = "no-referrer";
        if (_isDocument)
        {
            headers.CacheControl = "no-store";
            return TypedResults.Bytes(_content, _contentType);
        }

        headers.CacheControl = "no-cache";
        headers.ETag = _etag;
        return context.Request.Headers.IfNoneMatch.Contains(_etag)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Bytes(_content, _contentType);
    }
}
