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
/// A singleton, which <see cref="FhirHandlers"/> takes from the root services: a FHIR request opens no service scope.
/// </summary>
internal sealed class FhirForwarder(IFhirClient client, IFhirProxy proxy, IOptions<FhirClientOptions> options, IOptions<SmartAuthOptions> auth)
{
    private static readonly KeyValuePair<string, string>[] NoHeaders = [];

    private string? _linkBase;

    /// <summary>Where the gateway's FHIR routes live, for rewritten links (read once the options have been validated).</summary>
    private string LinkBase => _linkBase ??= auth.Value.PublicBase + FhirRoutes.Prefix;

    /// <summary>Sends the call through the FHIR client, which rewrites Bundles and checks bodies.</summary>
    public async Task<FhirUpstreamResult> ForwardAsync(
        HttpContext context, string platformId, FhirInteraction interaction, HttpMethod method,
        string? type = null, string? id = null, string? operation = null, string? pageUrl = null)
    {
        var hasBody = method != HttpMethod.Get && method != HttpMethod.Delete;
        var body = hasBody ? await ReadBodyAsync(context.Request, options.Value.MaxRequestBodyBytes, context.RequestAborted) : null;
        var request = Request(context, platformId, interaction, method, type, id, operation: operation, pageUrl: pageUrl, body: body);
        var response = await client.SendAsync(RequestOwner.Resolve(context), request, context.RequestAborted);
        return new FhirUpstreamResult(response);
    }

    /// <summary>
    /// A read, vread or delete (<see cref="IFhirProxy.Forwards"/>): forwarded as it arrives, the answer streamed straight
    /// back; the same checks, headers and audit as <see cref="ForwardAsync"/>, without relaying through a <see cref="FhirResponse"/>.
    /// </summary>
    public Task ProxyAsync(
        HttpContext context, string platformId, FhirInteraction interaction, HttpMethod method, string type, string? id, string? versionId) =>
        proxy.ForwardAsync(context, RequestOwner.Resolve(context), Request(context, platformId, interaction, method, type, id, versionId));

    /// <summary>
    /// The call, built once with all its parts (a FhirRequest is the largest object a search allocates of its own). The
    /// caller's query goes upstream except for the capability statement (cached whatever the query) and a page (its URL
    /// carries its own); its Content-Type only with a body.
    /// </summary>
    private FhirRequest Request(
        HttpContext context, string platformId, FhirInteraction interaction, HttpMethod method, string? type, string? id,
        string? versionId = null, string? operation = null, string? pageUrl = null, ReadOnlyMemory<byte>? body = null) => new()
    {
        PlatformId = platformId,
        Interaction = interaction,
        Method = method,
        ResourceType = type,
        Id = id,
        VersionId = versionId,
        Operation = operation,
        PageUrl = pageUrl,
        Query = interaction is FhirInteraction.Capabilities or FhirInteraction.Page ? "" : Query(context),
        Headers = ForwardedHeaders(context.Request.Headers),
        LinkBase = LinkBase,
        Body = body,
        ContentType = body is null ? null : context.Request.ContentType,
    };

    /// <summary>The query as received, without its <c>?</c>.</summary>
    private static string? Query(HttpContext context) =>
        context.Request.QueryString.HasValue ? context.Request.QueryString.Value![1..] : null;

    /// <summary>The caller's headers that Core may forward; the others (cookies, the gateway key) are not copied at all.</summary>
    private static IReadOnlyList<KeyValuePair<string, string>> ForwardedHeaders(IHeaderDictionary headers)
    {
        List<KeyValuePair<string, string>>? forwarded = null;
        foreach (var name in FhirRequest.ForwardedHeaders)
        {
            if (headers.TryGetValue(name, out var value))
            {
                (forwarded ??= []).Add(new(name, value.ToString()));
            }
        }

        return forwarded is null ? NoHeaders : forwarded;
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
