using System.Net;
using FhirGateway.Core.Errors;
using FhirGateway.Core.Platforms;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// Everything checked before a request may leave the gateway: the shape of the URL parts, the operation
/// allowlist, <c>_format</c>, <c>_count</c> and the body. Yields the upstream URL, always inside the platform base.
/// </summary>
internal static class FhirRequestValidator
{
    public static Uri Validate(FhirRequest request, PlatformDefinition platform, UpstreamBase upstream, int maxCount)
    {
        CheckFormat(request.Query);
        if (request.Interaction == FhirInteraction.Page)
        {
            if (request.Method != HttpMethod.Get)
            {
                throw new InteractionNotAllowedException("Paging links are followed with GET only.");
            }

            return upstream.TryParse(request.PageUrl, out var pagePath, out var pageQuery)
                ? upstream.Resolve(pagePath, pageQuery)
                : throw new FhirValidationException("The paging URL is not inside the platform's FHIR base.");
        }

        CheckParts(request, platform);
        FhirBodyValidator.Check(request);
        return upstream.Resolve(RelativePath(request), SearchPageSize.Cap(request.Query, maxCount));
    }

    private static void CheckParts(FhirRequest request, PlatformDefinition platform)
    {
        if (request.ResourceType is { } type && !FhirNames.IsResourceType(type))
        {
            throw new UnknownResourceTypeException(type);
        }

        if (request.Id is { } id && !FhirNames.IsId(id))
        {
            throw new FhirValidationException("The resource id must be 1-64 letters, digits, '-' or '.'.");
        }

        if (request.VersionId is { } vid && !FhirNames.IsId(vid))
        {
            throw new FhirValidationException("The version id must be 1-64 letters, digits, '-' or '.'.");
        }

        if ((request.Id is not null && request.ResourceType is null) || (request.VersionId is not null && request.Id is null))
        {
            throw new FhirValidationException("An id needs a resource type, and a version id needs an id.");
        }

        if (request.Interaction == FhirInteraction.Operation)
        {
            if (!FhirNames.IsOperation(request.Operation))
            {
                throw new FhirValidationException("The operation name must be '$' followed by letters, digits or '-'.");
            }

            if (!FhirOperations.IsAllowed(request.Operation!, platform))
            {
                throw new InteractionNotAllowedException($"The operation {request.Operation} is not allowed for platform '{platform.Id}'.");
            }
        }
    }

    /// <summary>The path under the base; its parts were checked above.</summary>
    private static string RelativePath(FhirRequest r) => r.Interaction switch
    {
        FhirInteraction.Capabilities => "metadata",
        FhirInteraction.Batch => "",
        FhirInteraction.Search when r.Method == HttpMethod.Post => $"{Required(r.ResourceType)}/_search",
        FhirInteraction.VRead => $"{Required(r.ResourceType)}/{Required(r.Id)}/_history/{Required(r.VersionId)}",
        FhirInteraction.History => Join(r.ResourceType, r.Id, "_history"),
        FhirInteraction.Operation => Join(r.ResourceType, r.Id, r.Operation!),
        FhirInteraction.Read => $"{Required(r.ResourceType)}/{Required(r.Id)}",
        FhirInteraction.Create => Required(r.ResourceType),
        FhirInteraction.Update or FhirInteraction.Patch or FhirInteraction.Delete => Join(Required(r.ResourceType), r.Id, null),
        _ => Join(r.ResourceType, null, null),
    };

    private static string Required(string? part) => part ?? throw new FhirValidationException("The request misses a resource type or id.");

    /// <summary>The parts that are there, joined by <c>/</c>: a type alone (a search) is the type itself, not a new string.</summary>
    private static string Join(string? type, string? id, string? last) => Append(Append(type ?? "", id), last);

    private static string Append(string path, string? part) => part is null ? path : path.Length == 0 ? part : $"{path}/{part}";

    /// <summary>The gateway speaks FHIR JSON only (FHIR R4 http.html §3.1.0.1.10): another <c>_format</c> is 406.</summary>
    private static void CheckFormat(string? query)
    {
        if (string.IsNullOrEmpty(query) || !query.Contains("_format", StringComparison.Ordinal))
        {
            return;
        }

        foreach (var pair in query.Split('&'))
        {
            var parts = pair.Split('=', 2);
            if (parts[0] == "_format" && parts.Length == 2
                && Uri.UnescapeDataString(parts[1].Replace('+', ' ')).Trim() is var format
                && format is not ("json" or "application/json" or "application/fhir+json")
                && !format.StartsWith("application/fhir+json;", StringComparison.Ordinal))
            {
                throw new UnsupportedFormatException(HttpStatusCode.NotAcceptable, "The gateway answers FHIR JSON only; use _format=json.");
            }
        }
    }
}
