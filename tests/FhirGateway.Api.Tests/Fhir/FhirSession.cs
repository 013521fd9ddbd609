using System.Net;
using System.Text.Json;
using FhirGateway.Api.Tests.Auth;
using FhirGateway.Core.Tokens;
using FhirGateway.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FhirGateway.Api.Tests.Fhir;

/// <summary>A browser session at the gateway, logged in to platforms through the sandbox's form.</summary>
public sealed class FhirSession(FhirGatewayFixture fixture) : IDisposable
{
    public Browser Browser { get; } = new(fixture.Gateway.BaseAddress);

    public HttpClient Http => Browser.Http;

    /// <summary>Logs in to <paramref name="platformId"/> with <see cref="FhirGatewayFixture.Scopes"/>.</summary>
    public async Task ConnectAsync(string platformId = FhirGatewayFixture.Payer)
    {
        using var login = await Browser.GetAsync($"/auth/{platformId}/login?scopes={Uri.EscapeDataString(FhirGatewayFixture.Scopes)}");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        using var sandbox = new SandboxLogin();
        var callback = await sandbox.AuthorizeAsync(login.Headers.Location!, fixture.CallbackUri);
        using var page = await Browser.GetAsync(callback.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    /// <summary>The stored connection (read in the gateway's own token store).</summary>
    public async Task<PlatformConnection> ConnectionAsync(string platformId = FhirGatewayFixture.Payer)
    {
        var store = fixture.Gateway.Services.GetRequiredService<ITokenStore>();
        return await store.GetAsync(Owner, platformId) ?? throw new InvalidOperationException("Not connected.");
    }

    public OwnerKey Owner => OwnerKey.ForSession(Browser.Cookies.GetCookies(fixture.Gateway.BaseAddress)["fhirgw_session"]!.Value);

    /// <summary>Overwrites the stored access token (to make the platform answer 401 to a token the gateway thinks valid).</summary>
    public async Task SpoilAccessTokenAsync(string platformId = FhirGatewayFixture.Payer)
    {
        var store = fixture.Gateway.Services.GetRequiredService<ITokenStore>();
        var connection = await ConnectionAsync(platformId);
        await store.SaveAsync(Owner, connection with { AccessToken = "spoiled-token", ExpiresAt = DateTimeOffset.UtcNow.AddHours(1) });
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string? json = null, string contentType = "application/fhir+json", Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(method, new Uri(url, UriKind.RelativeOrAbsolute));
        if (json is not null)
        {
            request.Content = new StringContent(json);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        configure?.Invoke(request);
        return Http.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public void Dispose() => Browser.Dispose();
}
