namespace FhirGateway.ProxyBench;

/// <summary>
/// Connects a new browser session to the benchmarked platform the way a user does: <c>/auth/{platform}/login</c>,
/// the platform's authorize page (the canned upstream approves at once), then <c>/oauth/callback</c>, where the
/// gateway exchanges the code (with its PKCE verifier) for tokens and stores them sealed. The session cookie is
/// read from <c>Set-Cookie</c> by hand: outside Development it is <c>Secure</c>, and this run is plain http on 127.0.0.1.
/// </summary>
internal static class GatewayLogin
{
    private const string CookiePrefix = "fhirgw_session=";

    /// <summary>The <c>Cookie</c> header of a session connected to <paramref name="platformId"/>.</summary>
    /// <param name="authorize">
    /// Takes the platform's authorize URL to the gateway's callback URL, as the user's browser does (the sandbox's
    /// login form); by default one GET whose redirect is the callback (the canned upstream approves at once).
    /// </param>
    public static async Task<string> ConnectAsync(string gatewayOrigin, string platformId, Func<Uri, Task<Uri>>? authorize = null)
    {
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        using var login = await client.GetAsync(new Uri($"{gatewayOrigin}/auth/{platformId}/login"));
        var cookie = login.Headers.TryGetValues("Set-Cookie", out var set)
            ? set.Select(c => c.Split(';')[0]).FirstOrDefault(c => c.StartsWith(CookiePrefix, StringComparison.Ordinal))
            : null;
        var authorizeUrl = login.Headers.Location;
        Require(login.StatusCode == System.Net.HttpStatusCode.Redirect && authorizeUrl is not null && cookie is not null,
            $"login answered {(int)login.StatusCode} without a redirect and a session cookie.");

        Uri? callback;
        if (authorize is null)
        {
            using var approved = await client.GetAsync(authorizeUrl);
            callback = approved.Headers.Location;
            Require(callback is not null, $"the authorize page answered {(int)approved.StatusCode} without a redirect.");
        }
        else
        {
            callback = await authorize(authorizeUrl!);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, callback);
        request.Headers.Add("Cookie", cookie);
        using var completed = await client.SendAsync(request);
        Require(completed.IsSuccessStatusCode, $"the callback answered {(int)completed.StatusCode}: {await completed.Content.ReadAsStringAsync()}");
        return cookie!;
    }

    private static void Require(bool condition, string failure)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Login failed: {failure}");
        }
    }
}
