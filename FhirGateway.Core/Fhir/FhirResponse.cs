using System.Buffers;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// A platform's answer, ready to relay: status, the headers that matter (links already rewritten) and the body,
/// streamed from upstream or, for a Bundle whose links were rewritten, from memory. Dispose it after copying.
/// </summary>
public sealed class FhirResponse : IAsyncDisposable
{
    private readonly IDisposable? _upstream;
    private readonly MemoryBody? _memory;
    private Stream? _body;

    internal FhirResponse(int statusCode, string? contentType, IReadOnlyList<KeyValuePair<string, string>> headers, Stream body, long? contentLength, IDisposable? upstream)
    {
        StatusCode = statusCode;
        ContentType = contentType;
        Headers = headers;
        _body = body;
        ContentLength = contentLength;
        _upstream = upstream;
    }

    private FhirResponse(int statusCode, string? contentType, IReadOnlyList<KeyValuePair<string, string>> headers, MemoryBody body)
    {
        StatusCode = statusCode;
        ContentType = contentType;
        Headers = headers;
        _memory = body;
        ContentLength = body.Length;
    }

    /// <summary>The HTTP status to answer with.</summary>
    public int StatusCode { get; }

    /// <summary>The body's media type; FHIR JSON answers say <c>application/fhir+json</c>.</summary>
    public string? ContentType { get; }

    /// <summary>ETag, Last-Modified, Location, Content-Location, Retry-After and bulk-data headers.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The body (possibly empty).</summary>
    public Stream Body => _body ??= _memory!.OpenRead();

    /// <summary>The body's length when known.</summary>
    public long? ContentLength { get; }

    /// <summary>
    /// Writes a body held in memory (a buffered Bundle, a cached statement) to <paramref name="destination"/> as it is,
    /// without a stream in between; false when the body streams from the platform or <see cref="Body"/> was opened.
    /// </summary>
    public bool TryWriteBody(IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (_memory is null || _body is not null)
        {
            return false;
        }

        _memory.WriteTo(destination);
        return true;
    }

    internal static FhirResponse FromBytes(int statusCode, string? contentType, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body) =>
        new(statusCode, contentType, headers, new MemoryBody(body));

    /// <summary>
    /// A body in a pooled buffer, with <paramref name="edits"/> (a Bundle's rewritten links) applied as it is written;
    /// the buffer returns to the pool when this response is disposed.
    /// </summary>
    internal static FhirResponse FromPooled(int statusCode, string? contentType, IReadOnlyList<KeyValuePair<string, string>> headers, PooledBytes body, JsonSplice? edits = null) =>
        new(statusCode, contentType, headers, new MemoryBody(body, edits));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_body is not null)
        {
            await _body.DisposeAsync();
        }

        _memory?.Dispose();
        _upstream?.Dispose();
    }
}
