using FhirGateway.Core.Errors;
using FhirGateway.Core.Fhir;
using FhirGateway.Core.Platforms;

namespace FhirGateway.Api.Apis;

/// <summary>
/// Why no FHIR route took a request, as the FHIR R4 http.html §3.1.0.4 status: an unknown platform or resource
/// type is 404; a path the API knows with a method it does not offer there is 405 (unsupported interaction).
/// </summary>
internal static class FhirRouteErrors
{
    public static GatewayException For(HttpContext context, string platformId, string rest)
    {
        var platforms = context.RequestServices.GetRequiredService<IPlatformRegistry>();
        if (platforms.Find(platformId) is null)
        {
            return new PlatformNotFoundException(platformId);
        }

        var path = rest.TrimEnd('/');
        var first = path.Split('/')[0];
        if (first.Length > 0 && char.IsAsciiLetterUpper(first[0]) && !FhirNames.IsResourceType(first))
        {
            return new UnknownResourceTypeException(first);
        }

        return FhirNames.IsRestPath(path) || path == FhirNames.PageRoute
            ? new InteractionNotAllowedException($"{context.Request.Method} is not a FHIR interaction on this path.")
            : new GatewayException(System.Net.HttpStatusCode.NotFound, "not-found", "No FHIR route matches this path.");
    }
}
