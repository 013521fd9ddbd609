namespace FhirGateway.Api.Pages;

/// <summary>
/// The connections page for people: the platform catalog and this browser's connections, as static HTML, CSS and
/// a script (embedded in the assembly) over the JSON routes. <c>/</c> redirects to it.
/// </summary>
internal static class ConnectionsPage
{
    /// <summary>The page's path; logins started there come back to it (<c>return_to</c>).</summary>
    public const string Path = "/connections";

    public static IEndpointRouteBuilder MapConnectionsPage(this IEndpointRouteBuilder app)
    {
        var page = new PageAsset("connections.html", "text/html; charset=utf-8");
        var script = new PageAsset("connections.js", "text/javascript; charset=utf-8");
        var style = new PageAsset("connections.css", "text/css; charset=utf-8");

        app.MapGet("/", () => TypedResults.Redirect(Path)).ExcludeFromDescription();
        app.MapGet(Path, page.Serve).WithName("ConnectionsPage").ExcludeFromDescription();
        app.MapGet("/connections.js", script.Serve).ExcludeFromDescription();
        app.MapGet("/connections.css", style.Serve).ExcludeFromDescription();
        return app;
    }
}
