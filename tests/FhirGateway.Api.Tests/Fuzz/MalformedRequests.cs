using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace FhirGateway.Api.Tests.Fuzz;

/// <summary>What a fuzz request is aimed at, which decides what a correct refusal looks like.</summary>
public enum FuzzTarget
{
    /// <summary>A FHIR route: a refusal is an OperationOutcome.</summary>
    Fhir,

    /// <summary>The OAuth redirect URI: a refusal is the callback's HTML page.</summary>
    Callback,

    /// <summary>Another gateway route (auth, platforms, unknown paths).</summary>
    Other,
}

/// <summary>One malformed request, rebuilt for each send (an HttpRequestMessage is single use).</summary>
public sealed record FuzzRequest(FuzzTarget Target, HttpMethod Method, string Url, byte[]? Body, string? ContentType, IReadOnlyList<(string Name, string Value)> Headers)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, new Uri(Url, UriKind.Relative));
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        foreach (var (name, value) in Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value) && message.Content is not null)
            {
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }

    public override string ToString() => $"{Method} {(Url.Length > 300 ? Url[..300] + "..." : Url)} body={Body?.Length.ToString(CultureInfo.InvariantCulture) ?? "-"} type={ContentType}";
}

/// <summary>
/// Malformed requests from a seeded <see cref="Random"/>: the same seed gives the same requests. Most are refused
/// before any upstream call (bad paths, types, ids, queries, bodies, headers); the rest go to the real sandbox.
/// </summary>
public sealed class MalformedRequests(int seed, string platformId, int maxBodyBytes)
{
    private static readonly string[] Types = ["Patient", "Observation", "patient", "Foo", "Resource", "DomainResource", "Bundle", "", "Pätient", "Patient ", "P%00", "%2e%2e", "..", "Patient%2F..", "ÅÄÖ", "😀", "Patient;x", "Patient%0d%0a"];
    private static readonly string[] Ids = ["123", "..", ".", "a/b", "%2F", "x%00", "' OR 1=1 --", "ÿ", "😀", "<script>", "%252e%252e", "%E0%A4%A", "-", "a..b", "id with space"];
    private static readonly string[] Operations = ["$everything", "$validate", "$evil", "$", "$1", "$export", "$$", "$everything%00", "$ünïcode"];
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "PROPFIND"];
    private static readonly string[] ContentTypes =
        ["application/fhir+json", "application/json", "application/json-patch+json", "application/fhir+xml", "text/plain", "application/x-www-form-urlencoded", "garbage", "application/fhir+json; charset=utf-16", "multipart/form-data; boundary=x", ""];
    private static readonly string[] HeaderNames = ["Accept", "If-Match", "If-None-Match", "If-None-Exist", "If-Modified-Since", "Prefer", "Origin", "X-Forwarded-For", "Authorization", "Cookie", "Content-Encoding", "X-Gateway-Key"];

    private const string Separators = "/\\?#%&=+;:@.\"'<> ";

    private readonly Random _random = new(seed);

    public FuzzRequest Next() => _random.Next(100) switch
    {
        < 45 => FhirPath(),
        < 70 => FhirBody(),
        < 85 => Callback(),
        _ => OtherRoute(),
    };

    private FuzzRequest FhirPath()
    {
        var segments = _random.Next(6) switch
        {
            0 => [Pick(Types)],
            1 => [Pick(Types), Pick(Ids)],
            2 => [Pick(Types), Pick(Ids), Pick(Operations)],
            3 => [Pick(Types), Pick(Ids), "_history", Pick(Ids)],
            4 => [Pick(Operations)],
            _ => Enumerable.Range(0, _random.Next(1, 8)).Select(_ => Garbage(_random.Next(1, 40))).ToArray(),
        };
        var path = string.Join('/', segments.Select(s => _random.Next(3) == 0 ? Uri.EscapeDataString(s) : s));
        var platform = _random.Next(10) switch
        {
            0 => Uri.EscapeDataString(Garbage(_random.Next(1, 30))),
            1 => "_page",
            _ => platformId,
        };
        return new FuzzRequest(FuzzTarget.Fhir, Method(safeMostly: true), $"/api/fhir/{platform}/{path}{Query()}", null, null, Headers());
    }

    private FuzzRequest FhirBody()
    {
        var type = Pick(Types);
        var url = _random.Next(3) switch
        {
            0 => $"/api/fhir/{platformId}/{type}",
            1 => $"/api/fhir/{platformId}/{type}/{Pick(Ids)}",
            _ => $"/api/fhir/{platformId}",
        };
        var method = _random.Next(4) switch
        {
            0 => HttpMethod.Post,
            1 => HttpMethod.Put,
            2 => HttpMethod.Patch,
            _ => new HttpMethod(Pick(Methods)),
        };
        return new FuzzRequest(FuzzTarget.Fhir, method, url + (_random.Next(4) == 0 ? Query() : ""), Body(), Pick(ContentTypes) is { Length: > 0 } ct ? ct : null, Headers());
    }

    private FuzzRequest Callback()
    {
        string[] names = ["code", "state", "iss", "error", "error_description", "session_state", "code", "state"];
        var query = string.Join('&', Enumerable.Range(0, _random.Next(0, 7)).Select(_ => $"{Pick(names)}={Uri.EscapeDataString(Value())}"));
        return new FuzzRequest(FuzzTarget.Callback, _random.Next(10) == 0 ? new HttpMethod(Pick(Methods)) : HttpMethod.Get, "/oauth/callback?" + query, null, null, Headers());
    }

    private FuzzRequest OtherRoute()
    {
        var platform = _random.Next(3) == 0 ? Uri.EscapeDataString(Garbage(_random.Next(1, 50))) : platformId;
        var url = _random.Next(7) switch
        {
            0 => $"/auth/{platform}/login?redirect={Uri.EscapeDataString(Value())}&scopes={Uri.EscapeDataString(Value())}&return_to={Uri.EscapeDataString(Value())}",
            1 => $"/auth/{platform}/wait?timeout={Uri.EscapeDataString(Pick(["-1", "abc", "0", "0.05", "NaN", "1e400", "Infinity", "", "99999999999999999999"]))}",
            2 => "/auth/status" + Query(),
            3 => $"/api/platforms/{platform}" + Query(),
            4 => "/api/platforms" + Query(),
            5 => $"/{Uri.EscapeDataString(Garbage(_random.Next(1, 60)))}",
            _ => $"/auth/{platform}/logout",
        };
        var method = url.EndsWith("/logout", StringComparison.Ordinal) ? HttpMethod.Post : Method(safeMostly: true);
        return new FuzzRequest(FuzzTarget.Other, method, url, _random.Next(5) == 0 ? Body() : null, _random.Next(2) == 0 ? "application/json" : null, Headers());
    }

    private HttpMethod Method(bool safeMostly) => safeMostly && _random.Next(3) > 0 ? HttpMethod.Get : new HttpMethod(Pick(Methods));

    private string Query()
    {
        var builder = new StringBuilder();
        var count = _random.Next(5) == 0 ? _random.Next(50, 400) : _random.Next(0, 5);
        string[] names = ["_count", "_id", "name", "_include", "_revinclude", "_sort", "_elements", "_summary", "_format", "url", "_page", "name:exact", "_has:Observation:patient:code", "", "%00", "😀"];
        for (var i = 0; i < count; i++)
        {
            builder.Append(i == 0 ? '?' : '&').Append(Uri.EscapeDataString(Pick(names))).Append('=').Append(Uri.EscapeDataString(Value()));
        }

        return builder.ToString();
    }

    private string Value() => _random.Next(12) switch
    {
        0 => new string('x', _random.Next(1000, 6000)),
        1 => Garbage(_random.Next(1, 30)),
        2 => "-1",
        3 => "99999999999999999999",
        4 => "http://evil.example/fhir/Patient",
        5 => "//evil.example",
        6 => "/\\evil.example",
        7 => "javascript:alert(1)",
        8 => "",
        9 => "😀ÅÄÖ\u202e\uFEFF",
        10 => "0",
        _ => Pick(Ids),
    };

    /// <summary>Random UTF-16 text: letters, control characters, surrogates (some unpaired), separators.</summary>
    private string Garbage(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = _random.Next(6) switch
            {
                0 => (char)_random.Next(0, 32),
                1 => (char)_random.Next(0xD800, 0xE000),
                2 => Separators[_random.Next(Separators.Length)],
                3 => (char)_random.Next(0x80, 0x800),
                _ => (char)_random.Next('a', 'z' + 1),
            };
        }

        return new string(chars);
    }

    private byte[]? Body() => _random.Next(12) switch
    {
        0 => null,
        1 => [],
        2 => Encoding.UTF8.GetBytes("{\"resourceType\":\"Patient\""),
        3 => Encoding.UTF8.GetBytes($"{{\"resourceType\":\"{Pick(Types)}\",\"id\":\"{Pick(Ids)}\"}}"),
        4 => Encoding.UTF8.GetBytes(new string('[', _random.Next(65, 5000)) + new string(']', 10)),
        5 => Encoding.UTF8.GetBytes("{\"resourceType\":\"Patient\",\"a\":" + new string('{', 3000)),
        6 => new byte[maxBodyBytes + _random.Next(1, 4096)],
        7 => Encoding.UTF8.GetBytes("[{\"op\":\"" + Garbage(5) + "\",\"path\":\"/x\"}]"),
        8 => Encoding.UTF8.GetBytes("{\"resourceType\":\"Bundle\",\"type\":\"" + Pick(["transaction", "batch", "searchset", "x"]) + "\",\"entry\":[{\"request\":{\"method\":\"DELETE\",\"url\":\"" + Pick(Ids) + "\"}}]}"),
        9 => RandomBytes(_random.Next(1, 2000)),
        10 => Encoding.UTF8.GetBytes("{\"resourceType\":\"Patient\",\"id\":1e999,\"name\":[{\"family\":\"\\ud800\"}]}"),
        _ => Encoding.UTF8.GetBytes(Garbage(_random.Next(1, 500))),
    };

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    private List<(string, string)> Headers()
    {
        var headers = new List<(string, string)>();
        var count = _random.Next(4) == 0 ? _random.Next(1, 4) : 0;
        for (var i = 0; i < count; i++)
        {
            // Printable values only: an HTTP client cannot send control characters in a header at all.
            var value = _random.Next(5) switch
            {
                0 => new string('h', _random.Next(100, 6000)),
                1 => "W/\"" + Pick(Ids) + "\"",
                2 => "https://evil.example",
                3 => "application/fhir+xml;q=0.1, */*",
                _ => "garbage value ÿ",
            };
            headers.Add((Pick(HeaderNames), value));
        }

        return headers;
    }

    private string Pick(string[] items) => items[_random.Next(items.Length)];
}
