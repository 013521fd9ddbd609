using System.Net;
using FhirGateway.Api.Tests.Auth;
using FhirGateway.Testing;

namespace FhirGateway.Api.Tests.Security;

/// <summary>
/// <c>return_to</c> over the whole flow against the real sandbox: after the callback, success or failure, the browser
/// goes to a path on the gateway or stays on its page, never to another site.
/// </summary>
public sealed class OpenRedirectTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Theory]
    [InlineData("//evil.example/x")]
    [InlineData("https://evil.example/x")]
    [InlineData("/\\evil.example/x")]
    [InlineData("\\\\evil.example/x")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/%2F%2Fevil.example/x")]
    public async Task Callback_ReturnToOffSite_NeverRedirectsOffSite(string returnTo)
    {
        using var browser = new Browser(fixture.Gateway.BaseAddress);
        var callback = await AuthorizeAsync(browser, returnTo);

        using var response = await browser.GetAsync(callback.PathAndQuery);

        AssertStaysOnSite(response);
    }

    [Fact]
    public async Task Callback_ReturnToLocalPath_RedirectsThereWithThePlatform()
    {
        using var browser = new Browser(fixture.Gateway.BaseAddress);
        var callback = await AuthorizeAsync(browser, "/connections?tab=1");

        using var response = await browser.GetAsync(callback.PathAndQuery);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/connections?tab=1&connected=local-sandbox", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("//evil.example/x")]
    [InlineData("https://evil.example/x")]
    public async Task Callback_ProviderErrorWithReturnToOffSite_NeverRedirectsOffSite(string returnTo)
    {
        using var browser = new Browser(fixture.Gateway.BaseAddress);
        using var login = await browser.GetAsync($"/auth/local-sandbox/login?return_to={Uri.EscapeDataString(returnTo)}");
        var state = Query(login.Headers.Location!)["state"];

        using var response = await browser.GetAsync($"/oauth/callback?error=access_denied&state={Uri.EscapeDataString(state)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertStaysOnSite(response);
    }

    private static void AssertStaysOnSite(HttpResponseMessage response)
    {
        if (response.Headers.Location is not { } location)
        {
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{(int)response.StatusCode}");
            return;
        }

        var target = location.OriginalString;
        Assert.False(location.IsAbsoluteUri && location.Scheme != Uri.UriSchemeFile, $"redirects to an absolute URL: {target}");
        Assert.StartsWith("/", target, StringComparison.Ordinal);
        Assert.False(target.StartsWith("//", StringComparison.Ordinal) || target.StartsWith("/\\", StringComparison.Ordinal), $"redirects off site: {target}");
    }

    private async Task<Uri> AuthorizeAsync(Browser browser, string returnTo)
    {
        using var login = await browser.GetAsync($"/auth/local-sandbox/login?return_to={Uri.EscapeDataString(returnTo)}");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        using var sandbox = new SandboxLogin();
        return await sandbox.AuthorizeAsync(login.Headers.Location!, fixture.CallbackUri);
    }

    private static Dictionary<string, string> Query(Uri uri) =>
        uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "");
}
