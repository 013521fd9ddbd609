using System.Net;

namespace FhirGateway.Api.Tests.Auth;

/// <summary>A user's browser on the gateway: one cookie jar, redirects not followed.</summary>
public sealed class Browser : IDisposable
{
    private readonly HttpClient _http;

    public Browser(Uri gateway)
    {
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = Cookies, UseCookies = true })
        {
            BaseAddress = gateway,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public CookieContainer Cookies { get; }

    public HttpClient Http => _http;

    public Task<HttpResponseMessage> GetAsync(string url) => _http.GetAsync(new Uri(url, UriKind.RelativeOrAbsolute));

    public Task<HttpResponseMessage> PostAsync(string url, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url, UriKind.RelativeOrAbsolute));
        configure?.Invoke(request);
        return _http.SendAsync(request);
    }

    public void Dispose() => _http.Dispose();
}
