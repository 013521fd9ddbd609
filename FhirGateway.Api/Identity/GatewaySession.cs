using System.Buffers;
using System.Security.Cryptography;
using FhirGateway.Core.Tokens;

namespace FhirGateway.Api.Identity;

/// <summary>
/// The browser's gateway session: a random 256-bit id in an HttpOnly, SameSite=Lax cookie (Secure outside
/// development). It only names whose connections these are; the connections themselves stay in the token
/// store. Later issues add other owners (an authenticated user, an MCP client) through <see cref="OwnerKey"/>.
/// </summary>
internal sealed class GatewaySession(IHostEnvironment environment, TimeProvider time)
{
    /// <summary>The cookie's name.</summary>
    public const string CookieName = "fhirgw_session";

    /// <summary>How long the cookie lives in the browser; the store slides its own expiry.</summary>
    private static readonly TimeSpan CookieLifetime = TimeSpan.FromDays(30);

    private static readonly SearchValues<char> Base64UrlAlphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private const string Whitespace = " \t";

    /// <summary>The owner of the request's session, or null when it has none (or a malformed one).</summary>
    /// <remarks>
    /// Read from the <c>Cookie</c> fields in place when they hold the session cookie once, with a value as issued;
    /// anything else (the name twice, a quoted or malformed value) is left to ASP.NET Core's cookie collection, as
    /// every request was until the fifteenth session. Its parse cost a dictionary and a string per cookie, and the
    /// owner key a string, on every request (the key is now kept per id, <see cref="OwnerKey.ForSession(ReadOnlySpan{char})"/>):
    /// a proxied read allocated 5.9 KB with them, 5.3–5.4 KB without (ProxyBench A/B with the build before, two runs,
    /// 2026-11-29; CPU within the runs' noise, 0.95–1.05×).
    /// </remarks>
    public static OwnerKey? Current(HttpContext context)
    {
        var found = ReadOnlySpan<char>.Empty;
        var count = 0;
        foreach (var field in context.Request.Headers.Cookie)
        {
            count += Find(field, ref found);
        }

        if (count == 1 && IsWellFormed(found))
        {
            return OwnerKey.ForSession(found);
        }

        return count > 0 && context.Request.Cookies.TryGetValue(CookieName, out var id) && IsWellFormed(id) ? OwnerKey.ForSession(id.AsSpan()) : null;
    }

    /// <summary>
    /// How often one <c>Cookie</c> field names the session cookie (names compared as ASP.NET Core compares them,
    /// ignoring case), and the last such value, trimmed as is: pairs split at <c>;</c>, name and value at the first <c>=</c>.
    /// </summary>
    private static int Find(ReadOnlySpan<char> field, ref ReadOnlySpan<char> value)
    {
        var count = 0;
        foreach (var range in field.Split(';'))
        {
            var pair = field[range];
            var equals = pair.IndexOf('=');
            if (equals >= 0 && pair[..equals].Trim(Whitespace).Equals(CookieName, StringComparison.OrdinalIgnoreCase))
            {
                value = pair[(equals + 1)..].Trim(Whitespace);
                count++;
            }
        }

        return count;
    }

    /// <summary>The request's session owner, starting a new session (and setting its cookie) when there is none.</summary>
    public OwnerKey GetOrStart(HttpContext context)
    {
        if (Current(context) is { } owner)
        {
            return owner;
        }

        var id = Base64Url(RandomNumberGenerator.GetBytes(32));
        context.Response.Cookies.Append(CookieName, id, new CookieOptions
        {
            HttpOnly = true,
            Secure = !environment.IsDevelopment() || context.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            IsEssential = true,
            Expires = time.GetUtcNow() + CookieLifetime,
        });
        return OwnerKey.ForSession(id);
    }

    /// <summary>43 base64url characters: what <see cref="GetOrStart"/> issues and nothing else.</summary>
    private static bool IsWellFormed(ReadOnlySpan<char> id) =>
        id.Length == 43 && !id.ContainsAnyExcept(Base64UrlAlphabet);

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
