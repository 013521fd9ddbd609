using System.Net;
using FhirGateway.Core.Tokens;

namespace FhirGateway.Api.Apis;

/// <summary>The small HTML page the browser lands on after the platform's login. Shows no token.</summary>
internal static class CallbackPage
{
    public static IResult Connected(string platformName, ConnectionStatus status)
    {
        var patient = status.Patient is null ? "" : $"<p>Patient in context: <code>{Encode(status.Patient)}</code></p>";
        return Page(StatusCodes.Status200OK, "Connected", $"""
            <h1>Connected to {Encode(platformName)}</h1>
            {patient}
            <p>You can close this window and return to your app or agent.</p>
            """);
    }

    public static IResult Failed(int status, string message) => Page(status, "Authorization failed", $"""
        <h1>Authorization failed</h1>
        <p role="alert">{Encode(message)}</p>
        <p>Start the login again from your app or agent.</p>
        """);

    private static HtmlPage Page(int status, string title, string body) => new HtmlPage(status, $$"""
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · FHIR Gateway</title>
        <style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}h1{font-size:1.4rem}code{background:#f2f2f2;padding:0 .25rem}</style>
        </head>
        <body>
        {{body}}
        </body>
        </html>
        """);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>An HTML answer that is never cached and may not run scripts or be framed.</summary>
    private sealed class HtmlPage(int status, string html) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.CacheControl = "no-store";
            response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers["Referrer-Policy"] = "no-referrer";
            return response.WriteAsync(html);
        }
    }
}
