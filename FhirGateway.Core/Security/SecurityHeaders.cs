using Microsoft.AspNetCore.Http;

namespace FhirGateway.Core.Security;

/// <summary>
/// Headers on every answer, errors and 404s included (OWASP Secure Headers): no MIME sniffing, no framing, no
/// referrer. A Content-Security-Policy too, unless the endpoint set its own: a strict one for HTML pages, and
/// <c>default-src 'none'</c> for data, which a browser should never render as a document.
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    internal const string HtmlPolicy = "default-src 'self'; base-uri 'none'; object-src 'none'; form-action 'self'; frame-ancestors 'none'";
    internal const string DataPolicy = "default-src 'none'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var response = (HttpResponse)state;
            var headers = response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
            {
                var html = response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true;
                headers.ContentSecurityPolicy = html ? HtmlPolicy : DataPolicy;
            }

            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    }
}
