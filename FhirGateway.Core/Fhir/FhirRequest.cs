namespace FhirGateway.Core.Fhir;

/// <summary>
/// One FHIR call to a platform, as a front-end received it. Nothing here is trusted: <see cref="IFhirClient"/>
/// validates every part before anything goes upstream.
/// </summary>
public sealed record FhirRequest
{
    /// <summary>Platform id or alias.</summary>
    public required string PlatformId { get; init; }

    /// <summary>What the caller asks for.</summary>
    public required FhirInteraction Interaction { get; init; }

    /// <summary>The HTTP method (GET, POST, PUT, PATCH, DELETE).</summary>
    public required HttpMethod Method { get; init; }

    /// <summary>The resource type, for type- and instance-level interactions.</summary>
    public string? ResourceType { get; init; }

    /// <summary>The logical id, for instance-level interactions.</summary>
    public string? Id { get; init; }

    /// <summary>The version id, for vread.</summary>
    public string? VersionId { get; init; }

    /// <summary>The operation name with its <c>$</c>, for <see cref="FhirInteraction.Operation"/>.</summary>
    public string? Operation { get; init; }

    /// <summary>The query string as received, without <c>?</c>; passed upstream unchanged, in order.</summary>
    public string? Query { get; init; }

    /// <summary>For <see cref="FhirInteraction.Page"/>: the absolute URL the platform gave out.</summary>
    public string? PageUrl { get; init; }

    /// <summary>Request headers from the caller; only the <see cref="ForwardedHeaders"/> go upstream.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>
    /// The request headers a client may send upstream (FHIR R4 http.html §3.1.0.8 conditional interactions, §3.1.0.5
    /// <c>Prefer</c>); a front-end need pass no others in <see cref="Headers"/>.
    /// </summary>
    public static IReadOnlyList<string> ForwardedHeaders { get; } = ["If-None-Exist", "If-Match", "If-None-Match", "If-Modified-Since", "Prefer"];

    /// <summary>Whether <paramref name="name"/> is one of the <see cref="ForwardedHeaders"/> (case-insensitive).</summary>
    public static bool IsForwardedHeader(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var forwarded in ForwardedHeaders)
        {
            if (string.Equals(name, forwarded, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The request body, when there is one.</summary>
    public ReadOnlyMemory<byte>? Body { get; init; }

    /// <summary>The body's media type.</summary>
    public string? ContentType { get; init; }

    /// <summary>
    /// Where the gateway's FHIR routes live, e.g. <c>https://gateway.example/api/fhir</c>: paging links,
    /// <c>Location</c> and <c>Content-Location</c> inside the platform base are rewritten under
    /// <c>{LinkBase}/{platform id}</c>. Null leaves them as the platform sent them.
    /// </summary>
    public string? LinkBase { get; init; }

    /// <summary>Whether the request is safe (RFC 9110 §9.2.1: a read), so a transient failure may be retried.</summary>
    public bool IsSafe => Method == HttpMethod.Get || (Method == HttpMethod.Post && Interaction == FhirInteraction.Search);

    /// <summary>Whether repeating the request has the same effect (RFC 9110 §9.2.2), so a 401 may be retried once after a refresh.</summary>
    public bool IsIdempotent => IsSafe || Method == HttpMethod.Put || Method == HttpMethod.Delete;
}
