namespace FhirGateway.Core.Fhir;

/// <summary>
/// A platform's answer, ready to relay: status, the headers that matter (links already rewritten) and the body,
/// streamed from upstream or, for a Bundle whose links were rewritten, from memory. Dispose it after copying.
/// </summary>
public sealed class FhirResponse : IAsyncDisposable
{
    private readonly IDisposable? _upstream;

    internal FhirResponse(int statusCode, string? contentType, IReadOnlyList<KeyValuePair<string, string>> headers, Stream body, long? contentLength, IDisposable? upstream)
    {
        StatusCode = statusCode;
        ContentType = contentType;
        Headers = headers;
        Body = body;
        ContentLength = contentLength;
        _upstream = upstream;
    }

    /// <summary>The HTTP status to answer with.</summary>
    public int StatusCode { get; }

    /// <summary>The body's media type; FHIR JSON answers say <c>application/fhir+json</c>.</summary>
    public string? ContentType { get; }

    /// <summary>ETag, Last-Modified, Location, Content-Location, Retry-After and bulk-data headers.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The body (possibly empty).</summary>
    public Stream Body { get; }

    /// <summary>The body's length when known.</summary>
    public long? ContentLength { get; }

    internal static FhirResponse FromBytes(int statusCode, string? contentType, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body) =>
        new(statusCode, contentType, headers, new MemoryStream(body, writable: false), body.LongLength, null);

    /// <summary>A body in a pooled buffer, returned to the pool when this response is disposed.</summary>
    internal static FhirResponse FromPooled(int statusCode, string? contentType, IReadOnlyList<KeyValuePair<string, string>> headers, PooledBytes body) =>
        new(statusCode, contentType, headers, body.OpenRead(), body.Length, body);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Body.DisposeAsync();
        _upstream?.Dispose();
    }
}
