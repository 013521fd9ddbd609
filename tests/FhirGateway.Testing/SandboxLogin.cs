using System.Net;
using System.Text.RegularExpressions;

namespace FhirGateway.Testing;

/// <summary>
/// Plays the user's browser against the sandbox auth server without a browser: follows redirects by hand
/// (keeping cookies), reads the HTML login form, posts the credentials, and stops at the redirect back to the
/// client, whose URL carries <c>code</c>, <c>state</c> and <c>iss</c> (or <c>error</c>).
/// </summary>
public sealed partial class SandboxLogin : IDisposable
{
    private const int MaxRedirects = 20;

    private readonly HttpClient _browser;

    /// <summary>A fresh "browser" with its own cookie jar.</summary>
    public SandboxLogin()
    {
        _browser = new HttpClient(new HttpClientHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = new CookieContainer(),
            UseCookies = true,
        })
        { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>
    /// Opens <paramref name="authorizeUrl"/>, logs in as <paramref name="username"/> when the login form shows,
    /// and returns the URL the auth server finally redirects to under <paramref name="redirectUri"/>.
    /// </summary>
    public async Task<Uri> AuthorizeAsync(Uri authorizeUrl, string redirectUri, string username = "patient", string password = "password")
    {
        var url = authorizeUrl;
        var posted = false;
        for (var hop = 0; hop < MaxRedirects; hop++)
        {
            using var response = await _browser.GetAsync(url);
            if (Redirect(response, url) is { } next)
            {
                if (next.AbsoluteUri.StartsWith(redirectUri, StringComparison.Ordinal))
                {
                    return next;
                }

                url = next;
                continue;
            }

            var html = await response.Content.ReadAsStringAsync();
            if (posted || response.StatusCode != HttpStatusCode.OK || LoginForm.Parse(html, url) is not { } form)
            {
                throw new InvalidOperationException($"Expected a redirect or the login form at {url.GetLeftPart(UriPartial.Path)}, got {(int)response.StatusCode}: {Excerpt(html)}");
            }

            using var login = await _browser.PostAsync(form.Action, new FormUrlEncodedContent(form.With(username, password)));
            posted = true;
            url = Redirect(login, form.Action)
                ?? throw new InvalidOperationException($"Login was not accepted ({(int)login.StatusCode}): {Excerpt(await login.Content.ReadAsStringAsync())}");
            if (url.AbsoluteUri.StartsWith(redirectUri, StringComparison.Ordinal))
            {
                return url;
            }
        }

        throw new InvalidOperationException($"More than {MaxRedirects} redirects from {authorizeUrl.GetLeftPart(UriPartial.Path)}.");
    }

    /// <summary>GETs a URL with this browser's cookies, without following redirects.</summary>
    public Task<HttpResponseMessage> GetAsync(Uri url) => _browser.GetAsync(url);

    private static Uri? Redirect(HttpResponseMessage response, Uri from) =>
        (int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location
            ? new Uri(from, location)
            : null;

    private static string Excerpt(string text) => text.Length <= 400 ? text : text[..400];

    /// <inheritdoc />
    public void Dispose() => _browser.Dispose();

    /// <summary>The login form as the page shows it: its action and every input with its value.</summary>
    private sealed partial record LoginForm(Uri Action, IReadOnlyDictionary<string, string> Fields)
    {
        public static LoginForm? Parse(string html, Uri page)
        {
            var form = FormTag().Match(html);
            if (!form.Success || !html.Contains("name=\"password\"", StringComparison.Ordinal))
            {
                return null;
            }

            var fields = new Dictionary<string, string>();
            foreach (Match input in InputTag().Matches(html))
            {
                var name = Attribute(input.Value, "name");
                if (name is not null)
                {
                    fields[name] = WebUtility.HtmlDecode(Attribute(input.Value, "value") ?? "");
                }
            }

            return new LoginForm(new Uri(page, WebUtility.HtmlDecode(form.Groups["action"].Value)), fields);
        }

        public IEnumerable<KeyValuePair<string, string>> With(string username, string password) =>
            Fields.Where(f => f.Key is not ("username" or "password"))
                .Append(new("username", username))
                .Append(new("password", password));

        private static string? Attribute(string tag, string name)
        {
            var match = Regex.Match(tag, $@"\b{name}\s*=\s*""(?<v>[^""]*)""", RegexOptions.IgnoreCase);
            return match.Success ? match.Groups["v"].Value : null;
        }

        [GeneratedRegex(@"<form[^>]*\baction\s*=\s*""(?<action>[^""]+)""[^>]*>", RegexOptions.IgnoreCase)]
        private static partial Regex FormTag();

        [GeneratedRegex(@"<input\b[^>]*>", RegexOptions.IgnoreCase)]
        private static partial Regex InputTag();
    }
}
