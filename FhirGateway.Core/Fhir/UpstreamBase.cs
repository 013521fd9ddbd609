using System.Buffers;
using System.Numerics;
using System.Text;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// A platform's FHIR base URL and the one rule that keeps the gateway from becoming an open proxy (SSRF):
/// a URL is inside the base only with the same scheme, host and port, no user info, and a path equal to the
/// base path or under it, after refusing dot segments and encoded separators in the URL as written.
/// </summary>
internal sealed class UpstreamBase
{
    private readonly Uri _base;
    private readonly string _path;

    /// <summary>The base with a trailing slash: what relative links resolve against.</summary>
    private readonly Uri _directory;

    /// <summary><see cref="Url"/> as UTF-8, to split links read from JSON.</summary>
    private readonly byte[] _urlUtf8;

    public UpstreamBase(string fhirBaseUrl)
    {
        _base = new Uri(fhirBaseUrl.TrimEnd('/'), UriKind.Absolute);
        _path = _base.AbsolutePath.TrimEnd('/');
        Url = _base.GetLeftPart(UriPartial.Path).TrimEnd('/');
        _directory = new Uri(Url + "/");
        _urlUtf8 = Encoding.UTF8.GetBytes(Url);
    }

    /// <summary>The base, without a trailing slash.</summary>
    public string Url { get; }

    /// <summary>The upstream URL of a validated relative path and a query passed as received.</summary>
    public Uri Resolve(string relativePath, string? query)
    {
        // One string, and the check below on its span: no parts cut out only to be dropped.
        var url = (relativePath.Length == 0, string.IsNullOrEmpty(query)) switch
        {
            (true, true) => Url,
            (true, false) => string.Concat(Url, "?", query),
            (false, true) => string.Concat(Url, "/", relativePath),
            (false, false) => string.Concat(Url, "/", relativePath, "?", query),
        };
        var uri = new Uri(url, UriKind.Absolute);
        // The parts were validated, so this never fails; it is the last line of defence if they were not.
        return TrySplitPlain(url.AsSpan(), Url, PlainPath, PlainQuery, out _, out _) || TryRelative(uri, out _, out _)
            ? uri
            : throw new InvalidOperationException("An upstream URL left the platform base.");
    }

    /// <summary>
    /// Parses an absolute URL a client or the platform gave and splits it into a path relative to the base and
    /// its query; false when it is not strictly inside the base.
    /// </summary>
    public bool TryParse(string? url, out string relativePath, out string query) =>
        (url is not null && TrySplitPlain(url, out relativePath, out query)) || TryParse(url, null, out relativePath, out query);

    /// <summary>
    /// <see cref="TryParse(string?, out string, out string)"/> by parsing, for a URL that is not plain
    /// (<see cref="TrySplitPlain"/>), with <paramref name="url"/> already parsed when the caller has it.
    /// </summary>
    private bool TryParse(string? url, Uri? parsed, out string relativePath, out string query)
    {
        relativePath = "";
        query = "";
        if (string.IsNullOrEmpty(url) || url.Length > MaxUrlLength || HasForbiddenCharacter(url))
        {
            return false;
        }

        var pathEnd = url.IndexOfAny(['?', '#']);
        var rawPath = url.AsSpan(0, pathEnd < 0 ? url.Length : pathEnd);
        if (rawPath.Contains("/./", StringComparison.Ordinal) || rawPath.Contains("/../", StringComparison.Ordinal)
            || rawPath.EndsWith("/.", StringComparison.Ordinal) || rawPath.EndsWith("/..", StringComparison.Ordinal)
            || rawPath.Contains('%') || url.Contains('#', StringComparison.Ordinal))
        {
            return false;
        }

        return (parsed ?? (Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null)) is { } absolute && TryRelative(absolute, out relativePath, out query);
    }

    /// <summary>Resolves a link the platform sent (absolute, or relative to the base) and splits it; false when outside.</summary>
    public bool TryParseLink(string link, out string relativePath, out string query)
    {
        if (TrySplitPlain(link, out relativePath, out query))
        {
            return true;
        }

        if (Uri.TryCreate(link, UriKind.Absolute, out var absolute))
        {
            return TryParse(link, absolute, out relativePath, out query); // not plain, and parsed once, not again inside
        }

        if (Uri.TryCreate(_directory, link, out var resolved))
        {
            link = resolved.AbsoluteUri;
        }

        return TryParse(link, out relativePath, out query);
    }

    /// <summary>
    /// The common case without parsing: <paramref name="url"/> is <see cref="Url"/> as written, then plain segments
    /// (letters, digits, <c>-._~$</c>; none empty, <c>.</c> or <c>..</c>) and a query of characters a URI keeps as
    /// they are (<see cref="PlainQuery"/>; no <c>%</c>: parsing decodes some escapes). True only where parsing would say
    /// "inside" with the same parts; false means "not this simple": the caller parses, and parsing decides.
    /// </summary>
    private bool TrySplitPlain(string url, out string relativePath, out string query)
    {
        var found = TrySplitPlain(url.AsSpan(), Url, PlainPath, PlainQuery, out var path, out var queryText);
        relativePath = found ? url[path] : "";
        query = found ? url[queryText] : "";
        return found;
    }

    /// <summary>
    /// <see cref="TrySplitPlain(string, out string, out string)"/> on a link's UTF-8 bytes as a JSON answer holds them
    /// (a Bundle's links): the same rule, and the parts as slices of <paramref name="url"/>, so a rewritten link needs
    /// no string.
    /// </summary>
    public bool TrySplitPlain(ReadOnlySpan<byte> url, out ReadOnlySpan<byte> relativePath, out ReadOnlySpan<byte> query)
    {
        var found = TrySplitPlain(url, _urlUtf8, PlainPathUtf8, PlainQueryUtf8, out var path, out var queryText);
        relativePath = found ? url[path] : [];
        query = found ? url[queryText] : [];
        return found;
    }

    /// <summary>The plain split, written once for UTF-16 and UTF-8 text (every character it accepts is ASCII).</summary>
    private static bool TrySplitPlain<T>(
        ReadOnlySpan<T> url, ReadOnlySpan<T> baseUrl, SearchValues<T> plainPath, SearchValues<T> plainQuery, out Range relativePath, out Range query)
        where T : unmanaged, IEquatable<T>, IBinaryInteger<T>
    {
        relativePath = default;
        query = default;
        if (url.Length > MaxUrlLength || !url.StartsWith(baseUrl))
        {
            return false;
        }

        var (slash, dot) = (T.CreateTruncating('/'), T.CreateTruncating('.'));
        var rest = url[baseUrl.Length..];
        var queryStart = rest.IndexOf(T.CreateTruncating('?'));
        var path = queryStart < 0 ? rest : rest[..queryStart];
        var queryText = queryStart < 0 ? [] : rest[(queryStart + 1)..];
        if ((path.Length > 0 && path[0] != slash) || queryText.ContainsAnyExcept(plainQuery) || (queryText.Length > 0 && queryText[0] == T.CreateTruncating('?')))
        {
            return false;
        }

        var segments = (path.Length > 0 ? path[1..] : path).TrimEnd(slash);
        if (segments.ContainsAnyExcept(plainPath))
        {
            return false;
        }

        if (segments.Length > 0)
        {
            foreach (var range in segments.Split(slash))
            {
                var segment = segments[range];
                if (segment.Length == 0 || (segment.Length <= 2 && segment[0] == dot && segment[^1] == dot))
                {
                    return false;
                }
            }
        }

        // As ranges of the whole URL: the segments start after the base and the path's first slash.
        var segmentsStart = baseUrl.Length + (path.Length > 0 ? 1 : 0);
        relativePath = new Range(segmentsStart, segmentsStart + segments.Length);
        query = queryStart < 0 ? new Range(url.Length, url.Length) : new Range(baseUrl.Length + queryStart + 1, url.Length);
        return true;
    }

    /// <summary>Longer URLs are refused, plain or not.</summary>
    private const int MaxUrlLength = 8192;

    private const string PlainPathCharacters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~$/";

    private const string PlainQueryCharacters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?";

    private static readonly SearchValues<char> PlainPath = SearchValues.Create(PlainPathCharacters);

    private static readonly SearchValues<byte> PlainPathUtf8 = SearchValues.Create(Encoding.ASCII.GetBytes(PlainPathCharacters));

    /// <summary>RFC 3986 unreserved and sub-delimiters, <c>:@/?</c>: characters a query keeps through <see cref="Uri"/> unescaped.</summary>
    private static readonly SearchValues<char> PlainQuery = SearchValues.Create(PlainQueryCharacters);

    private static readonly SearchValues<byte> PlainQueryUtf8 = SearchValues.Create(Encoding.ASCII.GetBytes(PlainQueryCharacters));

    private bool TryRelative(Uri uri, out string relativePath, out string query)
    {
        relativePath = "";
        query = uri.Query.TrimStart('?');
        if (!string.Equals(uri.Scheme, _base.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(uri.IdnHost, _base.IdnHost, StringComparison.OrdinalIgnoreCase)
            || uri.Port != _base.Port
            || uri.UserInfo.Length > 0)
        {
            return false;
        }

        var path = uri.AbsolutePath;
        if (path == _path || path == _path + "/")
        {
            return true;
        }

        if (!path.StartsWith(_path + "/", StringComparison.Ordinal))
        {
            return false;
        }

        relativePath = path[(_path.Length + 1)..].TrimEnd('/');
        foreach (var segment in relativePath.AsSpan().Split('/'))
        {
            if (relativePath.AsSpan(segment) is "" or "." or "..")
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasForbiddenCharacter(string url)
    {
        foreach (var c in url)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\')
            {
                return true;
            }
        }

        return false;
    }
}
