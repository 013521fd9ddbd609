using Scalar.AspNetCore;

namespace FhirGateway.Api.OpenApi;

/// <summary>
/// The Content-Security-Policy of the Scalar reference. Its page starts with an inline module script (the
/// configuration), which the gateway's default HTML policy (<c>default-src 'self'</c>) blocks, and its app
/// inserts style elements at run time. So: scripts by a per-request nonce that Scalar puts on its own script tags
/// (<see cref="ScalarOptions.DynamicNonce"/>), inline styles allowed, everything else from the gateway only
/// (default fonts, telemetry and the agent, which would reach Scalar's servers, are off).
/// </summary>
internal static class ScalarPolicy
{
    public static ValueTask<object?> ApplyAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        context.Response.OnStarting(static state =>
        {
            var context = (HttpContext)state;
            var script = context.Items[ScalarOptions.NonceHttpContextItemKey] is string nonce ? $"'self' 'nonce-{nonce}'" : "'self'";
            context.Response.Headers.ContentSecurityPolicy =
                $"default-src 'self'; script-src {script}; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
                "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; " +
                "form-action 'self'; frame-ancestors 'none'";
            if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
            {
                context.Response.Headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        }, context);
        return next(invocation);
    }
}
