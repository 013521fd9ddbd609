using System.Text;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// Rewrites URLs inside a platform base to the gateway's routes for that platform:
/// <c>{base}/Observation?patient=x&amp;_offset=20</c> becomes <c>{gateway}/api/fhir/{platform}/Observation?patient=x&amp;_offset=20</c>.
/// A link whose path is not a RESTful API shape (an opaque paging or bulk-status path) becomes
/// <c>{gateway}/api/fhir/{platform}/_page?url={the upstream URL}</c>, which is checked again when it comes back.
/// URLs outside the base are not rewritten (null).
/// </summary>
internal sealed class GatewayLinks
{
    /// <summary>Longer paths are left to <see cref="Rewrite"/>, so the plain path's check needs no heap buffer.</summary>
    private const int MaxPlainPathLength = 256;

    private readonly UpstreamBase _upstream;
    private readonly string _platformPrefix;

    /// <summary>The prefix as UTF-8, or null when it would need escaping inside a JSON string (then links go as text).</summary>
    private readonly byte[]? _platformPrefixUtf8;

    public GatewayLinks(UpstreamBase upstream, string platformPrefix)
    {
        _upstream = upstream;
        _platformPrefix = platformPrefix;
        _platformPrefixUtf8 = JsonSplice.NeedsEscaping(platformPrefix) ? null : Encoding.UTF8.GetBytes(platformPrefix);
    }

    /// <summary>The gateway URL for <paramref name="link"/>, or null when the link is outside the platform base.</summary>
    public string? Rewrite(string link)
    {
        if (!_upstream.TryParseLink(link, out var relativePath, out var query))
        {
            return null;
        }

        if (FhirNames.IsRestPath(relativePath))
        {
            var path = relativePath.Length == 0 ? _platformPrefix : $"{_platformPrefix}/{relativePath}";
            return query.Length == 0 ? path : $"{path}?{query}";
        }

        var absolute = _upstream.Resolve(relativePath, query).AbsoluteUri;
        return $"{_platformPrefix}/{FhirNames.PageRoute}?url={Uri.EscapeDataString(absolute)}";
    }

    /// <summary>
    /// <see cref="Rewrite"/> of the common link, straight from the UTF-8 bytes of a JSON answer: a plain URL inside the
    /// base (<see cref="UpstreamBase.TrySplitPlain(ReadOnlySpan{byte}, out ReadOnlySpan{byte}, out ReadOnlySpan{byte})"/>)
    /// with a RESTful path becomes the same gateway URL, as UTF-8 that needs no escaping in a JSON string, without the
    /// strings the text path makes (~1.8 KB of a 20-entry search's 11 KB, ProxyBench allocation trace, 2026-11-29).
    /// False for anything else: the caller reads the link as text and <see cref="Rewrite"/> decides.
    /// </summary>
    public bool TryRewritePlain(ReadOnlySpan<byte> link, out byte[] rewritten)
    {
        rewritten = [];
        if (_platformPrefixUtf8 is null
            || !_upstream.TrySplitPlain(link, out var relativePath, out var query)
            || relativePath.Length > MaxPlainPathLength)
        {
            return false;
        }

        // Plain segments are ASCII: one char per byte.
        Span<char> path = stackalloc char[relativePath.Length];
        Ascii.ToUtf16(relativePath, path, out _);
        if (!FhirNames.IsRestPath(path))
        {
            return false;
        }

        rewritten = new byte[_platformPrefixUtf8.Length + (relativePath.Length == 0 ? 0 : 1 + relativePath.Length) + (query.Length == 0 ? 0 : 1 + query.Length)];
        var output = rewritten.AsSpan();
        _platformPrefixUtf8.CopyTo(output);
        output = output[_platformPrefixUtf8.Length..];
        if (relativePath.Length > 0)
        {
            output[0] = (byte)'/';
            relativePath.CopyTo(output[1..]);
            output = output[(1 + relativePath.Length)..];
        }

        if (query.Length > 0)
        {
            output[0] = (byte)'?';
            query.CopyTo(output[1..]);
        }

        return true;
    }
}
