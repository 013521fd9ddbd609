using System.Net;
using System.Text.Json;
using FhirGateway.Api.Tests.Auth;
using FhirGateway.Core.Tokens;
using FhirGateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace FhirGateway.Api.Tests.Faults;

/// <summary>
/// The platform's auth server down (its port refusing connections) during the OAuth callback and during a
/// refresh: a clear error, nothing stored or corrupted, and the same step works once the server is back.
/// </summary>
public sealed class AuthServerOutageTests(AuthOutageFixture fixture, ITestOutputHelper output) : IClassFixture<AuthOutageFixture>
{
    private const string AuditCategory = "FhirGateway.Audit";
    private static readonly string PatientUrl = $"/api/fhir/local-sandbox/Patient/{SandboxServers.PatientId}";

    [Fact]
    public async Task Callback_AuthServerDown_ClearErrorAndNothingStored_ThenTheSameCallbackConnectsOnceItIsBack()
    {
        using var browser = new Browser(fixture.Gateway.BaseAddress);
        using var login = await browser.GetAsync("/auth/local-sandbox/login");
        using var sandbox = new SandboxLogin();
        var callback = await sandbox.AuthorizeAsync(login.Headers.Location!, fixture.CallbackUri);

        await fixture.Sandbox.TakeAuthServerDownAsync();
        try
        {
            using var failed = await browser.GetAsync(callback.PathAndQuery);
            var page = await failed.Content.ReadAsStringAsync();
            output.WriteLine($"callback with the auth server down: {(int)failed.StatusCode} {failed.Content.Headers.ContentType}");
            Assert.True(failed.StatusCode == HttpStatusCode.BadGateway, $"{(int)failed.StatusCode}: {page}");
            Assert.Contains("could not be reached at its token endpoint; try again shortly.", page, StringComparison.Ordinal);
            Assert.Empty(await StatusAsync(browser));
        }
        finally
        {
            fixture.Sandbox.BringAuthServerBack();
        }

        // The state was put back with its original expiry and the code is still unused: reloading the callback works.
        using var retried = await browser.GetAsync(callback.PathAndQuery);
        Assert.True(retried.StatusCode == HttpStatusCode.OK, $"{(int)retried.StatusCode}: {await retried.Content.ReadAsStringAsync()}");
        Assert.Equal("connected", Assert.Single(await StatusAsync(browser)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task FhirCall_RefreshWhileAuthServerDown_502SayingWhy_ConnectionKept_ThenRefreshesOnceItIsBack()
    {
        using var browser = new Browser(fixture.Gateway.BaseAddress);
        using (var login = await browser.GetAsync("/auth/local-sandbox/login"))
        {
            using var sandbox = new SandboxLogin();
            using var page = await browser.GetAsync((await sandbox.AuthorizeAsync(login.Headers.Location!, fixture.CallbackUri)).PathAndQuery);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        using (var refreshedOnce = await browser.GetAsync(PatientUrl))
        {
            Assert.Equal(HttpStatusCode.OK, refreshedOnce.StatusCode); // every call refreshes here (see the fixture)
        }

        var before = await StoredAsync(browser);
        Assert.NotNull(before.RefreshToken);
        var logged = fixture.Logs.Entries.Count;

        await fixture.Sandbox.TakeAuthServerDownAsync();
        try
        {
            using var down = await browser.GetAsync(PatientUrl);
            var body = await down.Content.ReadAsStringAsync();
            output.WriteLine($"FHIR read with the auth server down: {(int)down.StatusCode} {body}");
            Assert.True(down.StatusCode == HttpStatusCode.BadGateway, $"{(int)down.StatusCode}: {body}");
            Assert.Equal("application/fhir+json", down.Content.Headers.ContentType?.MediaType);
            var outcome = JsonDocument.Parse(body).RootElement;
            Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
            Assert.Contains("could not be reached at its token endpoint; try again shortly.", outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString(), StringComparison.Ordinal);

            // A transient failure leaves the connection exactly as it was: not deleted, not marked for a new login.
            Assert.Equal(before, await StoredAsync(browser));
            var status = Assert.Single(await StatusAsync(browser));
            Assert.Equal("connected", status.GetProperty("state").GetString());
        }
        finally
        {
            fixture.Sandbox.BringAuthServerBack();
        }

        using var after = await browser.GetAsync(PatientUrl);
        Assert.True(after.StatusCode == HttpStatusCode.OK, $"{(int)after.StatusCode}: {await after.Content.ReadAsStringAsync()}");
        var refreshed = await StoredAsync(browser);
        Assert.NotEqual(before.AccessToken, refreshed.AccessToken);
        Assert.Null(refreshed.ReauthorizationReason);

        var refreshes = fixture.Logs.Entries.Skip(logged)
            .Where(e => e.Category == AuditCategory && e.Fields.GetValueOrDefault("Action") == "token.refresh")
            .Select(e => $"{e.Fields["Outcome"]}:{e.Fields["Reason"]}").ToList();
        Assert.Equal(["failure:token endpoint HTTP 502", "success:refreshed"], refreshes);
    }

    private async Task<PlatformConnection> StoredAsync(Browser browser)
    {
        var session = browser.Cookies.GetCookies(fixture.Gateway.BaseAddress)["fhirgw_session"]!.Value;
        return await fixture.Gateway.Services.GetRequiredService<ITokenStore>().GetAsync(OwnerKey.ForSession(session), "local-sandbox")
            ?? throw new InvalidOperationException("The connection is gone from the store.");
    }

    private static async Task<List<JsonElement>> StatusAsync(Browser browser)
    {
        using var response = await browser.GetAsync("/auth/status");
        response.EnsureSuccessStatusCode();
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return [.. body.GetProperty("connections").EnumerateArray()];
    }
}
