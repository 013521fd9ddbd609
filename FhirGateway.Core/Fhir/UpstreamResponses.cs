using System.Buffers;
using System.Net;
using System.Text.Json;
using FhirGateway.Core.Errors;
using FhirGateway.Core.Hosting;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// Turns a platform's answer into what the gateway relays: FHIR JSON streamed through (an OperationOutcome with
/// the platform's status); a Bundle from a search, history, operation or batch read into a bounded buffer to
/// rewrite its links, and a bulk export manifest (from a status URL) to rewrite its file URLs; the headers that
/// matter copied, <c>Location</c> and <c>Content-Location</c> rewritten;
/// an error that is not FHIR (an HTML page, text) replaced by a 502 without its content.
/// </summary>
internal static class UpstreamResponses
{
    public const string FhirJson = "application/fhir+json; charset=utf-8";

    /// <summary>
    /// Bundles up to this size are read whole, so that one that is not JSON is a 502 before anything is relayed;
    /// larger ones stream (<see cref="BundleLinkStream"/>) and memory stays flat whatever their size.
    /// </summary>
    internal const long StreamAboveBytes = 1024 * 1024;

    /// <summary>The first buffer for an answer without Content-Length; it doubles from there.</summary>
    private const int InitialReadSize = 16 * 1024;

    private static readonly string[] PassedHeaders = ["ETag", "Last-Modified", "Retry-After", "X-Progress", "Expires"];

    public static async Task<FhirResponse> RelayAsync(
        HttpResponseMessage upstream, FhirRequest request, string platformId, GatewayLinks? links, FhirClientOptions options, CancellationToken cancellationToken)
    {
        var status = (int)upstream.StatusCode;
        var mediaType = MediaType(upstream);
        var isJson = IsJson(mediaType);
        var length = upstream.Content.Headers.ContentLength;
        if (status >= 400 && !isJson)
        {
            var error = NotFhir(upstream, platformId, mediaType);
            upstream.Dispose();
            throw error;
        }

        var headers = Headers(upstream, links);
        var contentType = RelayedContentType(upstream, isJson);
        if (isJson && links is not null && status == 200 && MayBeBundle(request.Interaction))
        {
            PooledBytes head;
            Stream? rest;
            try
            {
                (head, rest) = await ReadHeadAsync(upstream, platformId, options, cancellationToken);
            }
            catch
            {
                upstream.Dispose();
                throw;
            }

            if (rest is not null)
            {
                // Too large to hold: relayed as it arrives, links rewritten on the way.
                BundleLinkStream streamed;
                using (head)
                {
                    streamed = new BundleLinkStream(rest, head.Span, links, options.MaxBufferedBundleBytes);
                }

                try
                {
                    // The links come first in practice: rewritten before the answer starts, its length stays known.
                    var rewrittenLength = await streamed.PrimeAsync(length, (int)Math.Min(StreamAboveBytes, options.MaxBufferedBundleBytes), cancellationToken);
                    return new FhirResponse(status, contentType, headers, streamed, rewrittenLength, upstream);
                }
                catch (Exception failed) when (failed is JsonException || IsBroken(failed))
                {
                    await streamed.DisposeAsync();
                    upstream.Dispose();
                    throw failed is JsonException
                        ? new UpstreamException(HttpStatusCode.BadGateway, $"Platform '{platformId}' answered malformed JSON.", failed)
                        : Broken(platformId, failed);
                }
                catch
                {
                    await streamed.DisposeAsync();
                    upstream.Dispose();
                    throw;
                }
            }

            using (upstream)
            {
                var body = head;
                JsonSplice? rewritten;
                byte[]? manifest = null;
                try
                {
                    rewritten = BundleLinkRewriter.Edits(body.Span, links);
                    if (rewritten is null && request.Interaction is FhirInteraction.Page or FhirInteraction.Operation)
                    {
                        manifest = BulkManifestRewriter.Rewrite(body.Span, links);
                    }
                }
                catch (JsonException e)
                {
                    // A body that says it is JSON and is not (cut short, trailing bytes) is the platform's fault: 502,
                    // not a 200 the client cannot parse.
                    body.Dispose();
                    throw new UpstreamException(HttpStatusCode.BadGateway, $"Platform '{platformId}' answered malformed JSON.", e);
                }
                catch
                {
                    body.Dispose();
                    throw;
                }

                if (manifest is null)
                {
                    // Relayed as read, links rewritten as it is written: the response owns the pooled buffer from here.
                    return FhirResponse.FromPooled(status, contentType, headers, body, rewritten);
                }

                body.Dispose();
                return FhirResponse.FromBytes(status, contentType, headers, manifest);
            }
        }

        var stream = await upstream.Content.ReadAsStreamAsync(cancellationToken);
        return new FhirResponse(status, contentType, headers, stream, length, upstream);
    }

    /// <summary>
    /// The start of a Bundle: all of it (rest null) when it is at most <see cref="StreamAboveBytes"/>, so that it is
    /// checked and rewritten in one piece, else the bytes read so far and the stream to relay the rest from.
    /// </summary>
    private static async ValueTask<(PooledBytes Head, Stream? Remainder)> ReadHeadAsync(
        HttpResponseMessage upstream, string platformId, FhirClientOptions options, CancellationToken cancellationToken)
    {
        var declared = upstream.Content.Headers.ContentLength;
        var most = (int)Math.Min(StreamAboveBytes, options.MaxBufferedBundleBytes);
        if (declared <= most)
        {
            return (await ReadBoundedAsync(upstream, platformId, options, cancellationToken), null);
        }

        // Without Content-Length, read up to the threshold (within the platform's timeout, as a buffered answer):
        // an answer that ends before it is held whole after all.
        var buffer = ArrayPool<byte>.Shared.Rent(declared is null ? most + 1 : 1);
        var length = 0;
        try
        {
            using var deadline = Deadline.Start(options.TimeoutFor(platformId), cancellationToken);
            var source = await upstream.Content.ReadAsStreamAsync(deadline.Token);
            int read;
            while (declared is null && length <= most && (read = await source.ReadAsync(buffer.AsMemory(length, most + 1 - length), deadline.Token)) > 0)
            {
                length += read;
            }

            return (new PooledBytes(buffer, length), declared is not null || length > most ? source : null);
        }
        catch (OperationCanceledException timeout) when (!cancellationToken.IsCancellationRequested)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw new UpstreamException(HttpStatusCode.GatewayTimeout, $"Platform '{platformId}' did not finish its answer in time.", timeout);
        }
        catch (Exception failed) when (IsBroken(failed))
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw Broken(platformId, failed);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>
    /// Reads a whole JSON answer, up to the bundle limit and within the platform's timeout, into one pooled buffer:
    /// sized once from Content-Length when the platform sent it (one byte more, to see the end without growing),
    /// else doubled as it fills. The caller disposes the result. A <see cref="ValueTask{TResult}"/>: an answer whose body
    /// came in with its headers is read at once, without a task.
    /// </summary>
    public static async ValueTask<PooledBytes> ReadBoundedAsync(HttpResponseMessage upstream, string platformId, FhirClientOptions options, CancellationToken cancellationToken)
    {
        var limit = options.MaxBufferedBundleBytes;
        var declared = upstream.Content.Headers.ContentLength;
        if (declared > limit)
        {
            throw TooLarge(platformId, limit);
        }

        // limit + 1 bytes are enough to tell an answer over the limit.
        var most = (int)Math.Min(limit + 1, Array.MaxLength);
        using var deadline = Deadline.Start(options.TimeoutFor(platformId), cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(declared + 1 ?? InitialReadSize, most));
        var handedOver = false;
        try
        {
            await using var source = await upstream.Content.ReadAsStreamAsync(deadline.Token);
            var length = 0;
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(length), deadline.Token)) > 0)
            {
                length += read;
                if (length > limit)
                {
                    throw TooLarge(platformId, limit);
                }

                if (length == buffer.Length)
                {
                    if (length >= most)
                    {
                        throw TooLarge(platformId, limit);
                    }

                    buffer = Grow(buffer, length, (int)Math.Min(2L * length, most));
                }
            }

            handedOver = true;
            return new PooledBytes(buffer, length);
        }
        catch (OperationCanceledException timeout) when (!cancellationToken.IsCancellationRequested)
        {
            throw new UpstreamException(HttpStatusCode.GatewayTimeout, $"Platform '{platformId}' did not finish its answer in time.", timeout);
        }
        catch (Exception failed) when (IsBroken(failed))
        {
            throw Broken(platformId, failed);
        }
        finally
        {
            if (!handedOver)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>
    /// Whether reading the answer failed on the platform's side: the connection (IOException: HttpIOException "The
    /// response ended prematurely", closed before Content-Length) or a body that does not decode as its
    /// <c>Content-Encoding</c> says (<see cref="UpstreamContentCoding"/>).
    /// </summary>
    private static bool IsBroken(Exception failed) => failed is HttpRequestException or IOException or InvalidDataException;

    private static UpstreamException Broken(string platformId, Exception failed) => failed is InvalidDataException
        ? new(HttpStatusCode.BadGateway, $"Platform '{platformId}' answered a body that does not decode as its Content-Encoding says.", failed)
        : new(HttpStatusCode.BadGateway, $"Platform '{platformId}' broke off its answer.", failed);

    private static byte[] Grow(byte[] buffer, int length, int size)
    {
        var larger = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan(0, length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }

    /// <summary>The answer's media type, lower case (null without Content-Type).</summary>
    public static string? MediaType(HttpResponseMessage upstream)
    {
        // FHIR's and plain JSON, the answers nearly every call gets, are told from the header as received: parsing it
        // into a typed value makes a parameter list and an object per parameter (a charset) only to read its type.
        if (upstream.Content.Headers.NonValidated.TryGetValues("Content-Type", out var values) && values.Count == 1)
        {
            var received = values.ToString().AsSpan();
            var type = (received.IndexOf(';') is var end and >= 0 ? received[..end] : received).Trim();
            if (type.Equals("application/fhir+json", StringComparison.OrdinalIgnoreCase))
            {
                return "application/fhir+json";
            }

            if (type.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            {
                return "application/json";
            }
        }

        return upstream.Content.Headers.ContentType?.MediaType?.ToLowerInvariant();
    }

    /// <summary>
    /// The Content-Type the gateway answers with: FHIR JSON as <c>application/fhir+json</c>, anything else as the
    /// platform said; none for an empty 204 or 304.
    /// </summary>
    public static string? RelayedContentType(HttpResponseMessage upstream, bool isJson) =>
        upstream.Content.Headers.ContentLength == 0 && upstream.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotModified
            ? null
            : isJson ? FhirJson : upstream.Content.Headers.ContentType?.ToString();

    /// <summary>Whether <paramref name="mediaType"/> is JSON: FHIR's, plain, or another <c>+json</c> type.</summary>
    public static bool IsJson(string? mediaType) =>
        mediaType is "application/fhir+json" or "application/json" || mediaType?.EndsWith("+json", StringComparison.Ordinal) == true;

    /// <summary>
    /// The error for a failure status without FHIR JSON: the platform's status when it sent no body at all, else 502
    /// (an HTML page or text is not relayed: it may carry internals).
    /// </summary>
    public static GatewayException NotFhir(HttpResponseMessage upstream, string platformId, string? mediaType)
    {
        var status = (int)upstream.StatusCode;
        var length = upstream.Content.Headers.ContentLength;
        return length == 0 || (mediaType is null && length is null)
            ? new GatewayException(upstream.StatusCode, IssueCode(upstream.StatusCode), $"Platform '{platformId}' answered {status} without an OperationOutcome.")
            : new UpstreamException(HttpStatusCode.BadGateway, $"Platform '{platformId}' answered {status} with a body that is not FHIR.");
    }

    /// <summary>
    /// Hands each header the gateway relays to <paramref name="add"/>: <see cref="PassedHeaders"/> as received, and
    /// <c>Location</c> and <c>Content-Location</c> rewritten (dropped when outside the platform base).
    /// </summary>
    public static void CopyHeaders<TTarget>(HttpResponseMessage upstream, GatewayLinks? links, TTarget target, Action<TTarget, string, string> add)
    {
        foreach (var name in PassedHeaders)
        {
            // As received, without parsing them into typed values only to print them again.
            if (upstream.Headers.NonValidated.TryGetValues(name, out var values) || upstream.Content.Headers.NonValidated.TryGetValues(name, out values))
            {
                add(target, name, values.ToString());
            }
        }

        AddLink(target, add, "Location", upstream.Headers.Location?.OriginalString, links);
        AddLink(target, add, "Content-Location", upstream.Content.Headers.ContentLocation?.OriginalString, links);
    }

    private static List<KeyValuePair<string, string>> Headers(HttpResponseMessage upstream, GatewayLinks? links)
    {
        var headers = new List<KeyValuePair<string, string>>();
        CopyHeaders(upstream, links, headers, static (list, name, value) => list.Add(new(name, value)));
        return headers;
    }

    /// <summary>A link inside the platform base, rewritten; one outside it is dropped rather than leaked.</summary>
    private static void AddLink<TTarget>(TTarget target, Action<TTarget, string, string> add, string name, string? value, GatewayLinks? links)
    {
        if (value is null)
        {
            return;
        }

        if (links is null)
        {
            add(target, name, value);
        }
        else if (links.Rewrite(value) is { } rewritten)
        {
            add(target, name, rewritten);
        }
    }

    private static bool MayBeBundle(FhirInteraction interaction) => interaction is
        FhirInteraction.Search or FhirInteraction.History or FhirInteraction.Operation or FhirInteraction.Batch or FhirInteraction.Page;

    private static UpstreamException TooLarge(string platformId, long limit) =>
        new(HttpStatusCode.BadGateway, $"Platform '{platformId}' answered with a Bundle larger than {limit} bytes; ask for fewer entries (_count).");

    private static string IssueCode(HttpStatusCode status) => status switch
    {
        HttpStatusCode.NotFound or HttpStatusCode.Gone => "not-found",
        HttpStatusCode.Forbidden => "forbidden",
        HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed => "conflict",
        HttpStatusCode.TooManyRequests => "throttled",
        _ => (int)status >= 500 ? "exception" : "invalid",
    };
}
