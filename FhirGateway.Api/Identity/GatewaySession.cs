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

    /// <summary>The owner of the request's session, or null when it has none (or a malformed one).</summary>
    public static OwnerKey? Current(HttpContext context) =>
        context.Request.Cookies.TryGetValue(CookieName, out var id) && IsWellFormed(id) ? OwnerKey.ForSession(id) : null;

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
    private static bool IsWellFormed(string id) =>
        id.Length == 43 && !id.AsSpan().ContainsAnyExcept(Base64UrlAlphabet);

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
