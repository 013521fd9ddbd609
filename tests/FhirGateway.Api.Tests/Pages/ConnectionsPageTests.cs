using System.Net;
using System.Text.RegularExpressions;
using FhirGateway.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FhirGateway.Api.Tests.Pages;

/// <summary>The connections page in a real Chromium, against the real sandbox's login form.</summary>
public sealed partial class ConnectionsPageTests(ConnectionsPageFixture fixture) : IClassFixture<ConnectionsPageFixture>
{
    private const string Sandbox = "Local SMART Sandbox";

    static ConnectionsPageTests() => SetDefaultExpectTimeout(20_000);

    [Fact]
    public async Task ConnectAndDisconnect_SandboxLogin_ShowsPatientThenRemovesIt()
    {
        await using var session = await PageSession.OpenAsync(fixture.Chromium, fixture.Gateway.BaseAddress);
        await session.RunAsync(nameof(ConnectAndDisconnect_SandboxLogin_ShowsPatientThenRemovesIt), async page =>
        {
            await page.GotoAsync("/");
            await Expect(page).ToHaveURLAsync(ConnectionsUrl());
            var item = page.Locator("li[data-platform='local-sandbox']");
            await item.GetByRole(AriaRole.Button, new() { Name = $"Connect {Sandbox}" }).ClickAsync();

            await SignInAsync(page, "patient", "password");

            await Expect(page).ToHaveURLAsync(ConnectionsUrl());
            await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Connected to {Sandbox}");
            await Expect(item.Locator(".patient")).ToHaveTextAsync(SandboxServers.PatientId);
            await Expect(item).ToContainTextAsync("patient/*.rs");
            await Expect(item).ToContainTextAsync("Access expires");
            await session.ScreenshotAsync("connections-connected");

            await item.GetByRole(AriaRole.Button, new() { Name = $"Disconnect {Sandbox}" }).ClickAsync();

            await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Disconnected from {Sandbox}");
            await Expect(item.Locator(".patient")).ToHaveCountAsync(0);
            await Expect(item.GetByRole(AriaRole.Button, new() { Name = $"Connect {Sandbox}" })).ToBeFocusedAsync();
        });
    }

    [Fact]
    public async Task Connect_CancelledAtSandbox_ComesBackWithErrorAndNoConnection()
    {
        await using var session = await PageSession.OpenAsync(fixture.Chromium, fixture.Gateway.BaseAddress);
        await session.RunAsync(nameof(Connect_CancelledAtSandbox_ComesBackWithErrorAndNoConnection), async page =>
        {
            await page.GotoAsync("/connections");
            var item = page.Locator("li[data-platform='local-sandbox']");
            await item.GetByRole(AriaRole.Button, new() { Name = $"Connect {Sandbox}" }).ClickAsync();

            await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

            await Expect(page).ToHaveURLAsync(ConnectionsUrl());
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync($"The sign-in at {Sandbox} was cancelled or declined");
            await Expect(item.GetByRole(AriaRole.Button, new() { Name = $"Connect {Sandbox}" })).ToBeVisibleAsync();
            await Expect(item.Locator(".patient")).ToHaveCountAsync(0);
            await session.ScreenshotAsync("connections-cancelled");
        });
    }

    [Fact]
    public async Task Catalog_SearchAndTypeFilter_ShowOnlyMatchingPlatforms()
    {
        await using var session = await PageSession.OpenAsync(fixture.Chromium, fixture.Gateway.BaseAddress);
        await session.RunAsync(nameof(Catalog_SearchAndTypeFilter_ShowOnlyMatchingPlatforms), async page =>
        {
            await page.GotoAsync("/connections");
            await Expect(page.Locator("li.platform").First).ToBeVisibleAsync();

            await page.GetByLabel("Type").SelectOptionAsync("lab");
            await Expect(page.Locator("li.platform")).ToHaveCountAsync(1);
            await Expect(page.Locator("li.platform")).ToHaveAttributeAsync("data-platform", "questdiagnostics");

            await page.GetByLabel("Type").SelectOptionAsync("");
            await page.GetByLabel("Search").FillAsync("smart sandbox");
            await Expect(page.Locator("li[data-platform='local-sandbox']")).ToBeVisibleAsync();
            await Expect(page.Locator("li[data-platform='aetna']")).ToHaveCountAsync(0);
            await Expect(page.Locator("#count")).ToContainTextAsync("platforms shown");
        });
    }

    [Fact]
    public async Task Page_Headers_StrictPolicyAndNotStored()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Gateway.BaseAddress };

        using var root = await client.GetAsync(new Uri("/", UriKind.Relative));
        using var page = await client.GetAsync(new Uri("/connections", UriKind.Relative));
        using var script = await client.GetAsync(new Uri("/connections.js", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/connections", root.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(page.Headers.CacheControl?.NoStore, "the page must not be stored");
        var policy = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotMatch(InlineScript(), html);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
    }

    private static async Task SignInAsync(IPage page, string username, string password)
    {
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to the FHIR Gateway sandbox" })).ToBeVisibleAsync();
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    private Regex ConnectionsUrl() => new($"^{Regex.Escape(fixture.Gateway.BaseAddress.AbsoluteUri.TrimEnd('/'))}/connections$");

    /// <summary>A script element with content (inline script), which the CSP would block anyway.</summary>
    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>")]
    private static partial Regex InlineScript();
}
