namespace FhirGateway.Core.Fhir;

/// <summary>
/// Rewrites URLs inside a platform base to the gateway's routes for that platform:
/// <c>{base}/Observation?patient=x&amp;_offset=20</c> becomes <c>{gateway}/api/fhir/{platform}/Observation?patient=x&amp;_offset=20</c>.
/// A link whose path is not a RESTful API shape (an opaque paging or bulk-status path) becomes
/// <c>{gateway}/api/fhir/{platform}/_page?url={the upstream URL}</c>, which is checked again when it comes back.
/// URLs outside the base are not rewritten (null).
/// </summary>
internal sealed class GatewayLinks(UpstreamBase upstream, string platformPrefix)
{
    /// <summary>The gateway URL for <paramref name="link"/>, or null when the link is outside the platform base.</summary>
    public string? Rewrite(string link)
    {
        if (!upstream.TryParseLink(link, out var relativePath, out var query))
        {
            return null;
        }

        if (FhirNames.IsRestPath(relativePath))
        {
            var path = relativePath.Length == 0 ? platformPrefix : $"{platformPrefix}/{relativePath}";
            return query.Length == 0 ? path : $"{path}?{query}";
        }

        var absolute = upstream.Resolve(relativePath, query).AbsoluteUri;
        return $"{platformPrefix}/{FhirNames.PageRoute}?url={Uri.EscapeDataString(absolute)}";
    }
}
