using FhirGateway.Api.Apis;

namespace FhirGateway.Api.Identity;

/// <summary>
/// Refuses cross-site requests to state-changing routes (CSRF): a browser's <c>Sec-Fetch-Site</c> must be
/// <c>same-origin</c> or <c>none</c>, and an <c>Origin</c> header must be the gateway's own. Requests without
/// either header are not from a browser page and pass (SameSite=Lax already keeps the session cookie off
/// cross-site POSTs).
/// </summary>
internal sealed class SameOriginFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        var origin = request.Headers.Origin.ToString();
        var ownOrigin = $"{request.Scheme}://{request.Host}";

        var crossSite = (fetchSite.Length > 0 && fetchSite is not ("same-origin" or "none"))
            || (origin.Length > 0 && !string.Equals(origin, ownOrigin, StringComparison.OrdinalIgnoreCase));
        return crossSite
            ? ValueTask.FromResult<object?>(FhirResults.Outcome(StatusCodes.Status403Forbidden, "forbidden", "Cross-site requests may not change authorizations."))
            : next(context);
    }
}
