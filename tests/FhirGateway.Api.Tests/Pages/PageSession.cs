using FhirGateway.Testing;
using Microsoft.Playwright;

namespace FhirGateway.Api.Tests.Pages;

/// <summary>
/// One user's browser tab on the gateway (its own cookie jar). Keeps a full-page screenshot when the test fails,
/// in <c>TestResults/screenshots/</c> at the repository root, where CI keeps its results.
/// </summary>
public sealed class PageSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;

    private PageSession(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
    }

    public IPage Page { get; }

    public static string ScreenshotFolder => Path.Combine(RepositoryPaths.Root, "TestResults", "screenshots");

    public static async Task<PageSession> OpenAsync(Chromium chromium, Uri gateway)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = gateway.AbsoluteUri,
            ViewportSize = new ViewportSize { Width = 1100, Height = 900 },
            Locale = "en-US",
        });
        context.SetDefaultTimeout(20_000);
        return new PageSession(context, await context.NewPageAsync());
    }

    /// <summary>Runs the test's steps; on failure saves a screenshot and names it in the rethrown failure.</summary>
    public async Task RunAsync(string testName, Func<IPage, Task> steps)
    {
        try
        {
            await steps(Page);
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            var path = await ScreenshotAsync($"{testName}-failure");
            throw new InvalidOperationException($"{failure.Message}\nScreenshot: {path}\nPage URL: {Page.Url}", failure);
        }
    }

    public async Task<string> ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var path = Path.Combine(ScreenshotFolder, $"{name}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = false });
        return path;
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
