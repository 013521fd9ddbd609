using FhirGateway.Api.Identity;
using FhirGateway.Core.Auth;
using FhirGateway.Core.Errors;
using FhirGateway.Core.Fhir;
using Microsoft.Extensions.Options;

namespace FhirGateway.Api.Apis;

/// <summary>
/// Turns an HTTP request on a FHIR route into a <see cref="FhirRequest"/> for the session's owner: the query as
/// received, the body read up to the limit (413 beyond), the caller's headers (Core forwards only the FHIR
/// conditional ones and Prefer; never Authorization), and the gateway's public base for rewritten links.
/// </summary>
internal static class FhirForwarder
{
    public static async Task<FhirUpstreamResult> ForwardAsync(HttpContext context, FhirRequest request)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<FhirClientOptions>>().Value;
        var hasBody = request.Method != HttpMethod.Get && request.Method != HttpMethod.Delete;
        var body = hasBody ? await ReadBodyAsync(context.Request, options.MaxRequestBodyBytes, context.RequestAborted) : null;
        var full = WithCallerParts(context, request) with { Body = body, ContentType = context.Request.ContentType };
        var response = await services.GetRequiredService<IFhirClient>().SendAsync(RequestOwner.Resolve(context), full, context.RequestAborted);
        return new FhirUpstreamResult(response);
    }

    /// <summary>
    /// A read, vread or delete (<see cref="IFhirProxy.Forwards"/>): forwarded as it arrives, the answer streamed straight
    /// back; the same checks, headers and audit as <see cref="ForwardAsync"/>, without relaying through a <see cref="FhirResponse"/>.
    /// </summary>
    public static Task ProxyAsync(HttpContext context, FhirRequest request) =>
        context.RequestServices.GetRequiredService<IFhirProxy>().ForwardAsync(context, RequestOwner.Resolve(context), WithCallerParts(context, request));

    /// <summary>The query as received, the headers Core may forward, and the gateway's public base for rewritten links.</summary>
    private static FhirRequest WithCallerParts(HttpContext context, FhirRequest request) => request with
    {
        Query = request.Query ?? (context.Request.QueryString.HasValue ? context.Request.QueryString.Value![1..] : null),
        Headers = ForwardedHeaders(context.Request.Headers) is { } forwarded ? forwarded : [],
        LinkBase = context.RequestServices.GetRequiredService<IOptions<SmartAuthOptions>>().Value.PublicBase + FhirRoutes.Prefix,
    };

    /// <summary>The caller's headers that Core may forward (null: none); the others (cookies, the gateway key) are not copied at all.</summary>
    private static List<KeyValuePair<string, string>>? ForwardedHeaders(IHeaderDictionary headers)
    {
        List<KeyValuePair<string, string>>? forwarded = null;
        foreach (var name in FhirRequest.ForwardedHeaders)
        {
            if (headers.TryGetValue(name, out var value))
            {
                (forwarded ??= []).Add(new(name, value.ToString()));
            }
        }

        return forwarded;
    }

    /// <summary>Reads the body, refusing it as soon as it passes <paramref name="limit"/> (by Content-Length or by counting).</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            throw new PayloadTooLargeException(limit);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new PayloadTooLargeException(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.Length == 0 ? null : buffer.ToArray();
    }
}
