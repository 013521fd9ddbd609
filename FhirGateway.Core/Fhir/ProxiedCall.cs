using System.Net;
using FhirGateway.Core.Errors;
using FhirGateway.Core.Platforms;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// One forwarded call's transforms. Out: the validated upstream URL and <see cref="UpstreamHeaders"/>, nothing else
/// of the caller's request but its <c>Accept-Encoding</c>. Back: the platform's status, the headers
/// <see cref="UpstreamResponses"/> relays (links rewritten), FHIR JSON as <c>application/fhir+json</c>, and the body
/// streamed through as the platform encoded it (with its <c>Content-Encoding</c>). A 401 to a call with a token
/// (<see cref="Refused"/>), a transient answer to be repeated (<see cref="Withheld"/>) or an error that is not FHIR
/// (<see cref="Failure"/>) is not relayed: the caller decides.
/// </summary>
/// <param name="propagate">Whether to write the request's trace context (sent through the untraced handler, <see cref="UpstreamTracing"/>).</param>
/// <param name="time">The clock <paramref name="repeatUntil"/> is read on.</param>
/// <param name="repeatUntil">Until when (a <paramref name="time"/> timestamp) a transient answer is withheld to be repeated; 0 for never.</param>
internal sealed class ProxiedCall(
    Platform platform, FhirRequest request, Uri url, GatewayLinks? links, string? token, bool propagate, TimeProvider time, long repeatUntil) : HttpTransformer
{
    /// <summary>The platform answered a status that means "try again" (<see cref="PlatformResilience.IsTransient"/>) while a repeat was still due.</summary>
    public bool Withheld { get; private set; }

    /// <summary>The platform answered 401 to the token: refresh and repeat, or ask the user to log in again.</summary>
    public bool Refused { get; private set; }

    /// <summary>The platform answered an error without FHIR JSON: what to answer instead.</summary>
    public GatewayException? Failure { get; private set; }

    public override ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        proxyRequest.RequestUri = url;
        // A body on a read or delete has no meaning (RFC 9110 §9.3.1, §9.3.5): it is not sent, as IFhirClient sends none.
        proxyRequest.Content = null;
        UpstreamHeaders.Apply(proxyRequest, platform.Definition, request.Headers, token);
        if (propagate)
        {
            UpstreamTracing.Propagate(proxyRequest, System.Diagnostics.Activity.Current);
        }
        // The answer is relayed unread, so the caller's content codings are the ones that matter.
        if (httpContext.Request.Headers.AcceptEncoding is { Count: > 0 } acceptEncoding)
        {
            proxyRequest.Headers.TryAddWithoutValidation("Accept-Encoding", (IEnumerable<string?>)acceptEncoding);
        }

        return ValueTask.CompletedTask;
    }

    public override ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (proxyResponse is null)
        {
            return new(false);
        }

        // The platform's own reason phrase is its text, not the gateway's.
        if (httpContext.Features.Get<IHttpResponseFeature>() is { } feature)
        {
            feature.ReasonPhrase = null;
        }

        var status = (int)proxyResponse.StatusCode;
        if (proxyResponse.StatusCode == HttpStatusCode.Unauthorized && token is not null)
        {
            Refused = true;
            return new(false);
        }

        if (repeatUntil != 0 && PlatformResilience.IsTransient(proxyResponse.StatusCode) && time.GetTimestamp() < repeatUntil)
        {
            Withheld = true;
            return new(false);
        }

        var mediaType = UpstreamResponses.MediaType(proxyResponse);
        var isJson = UpstreamResponses.IsJson(mediaType);
        if (status >= 400 && !isJson)
        {
            Failure = UpstreamResponses.NotFhir(proxyResponse, platform.Id, mediaType);
            return new(false);
        }

        var response = httpContext.Response;
        UpstreamResponses.CopyHeaders(proxyResponse, links, response.Headers, static (headers, name, value) => headers.Append(name, value));
        response.ContentType = UpstreamResponses.RelayedContentType(proxyResponse, isJson);
        response.ContentLength = proxyResponse.Content.Headers.ContentLength;
        // Relayed as the platform encoded it (the caller asked for that coding); the body is never read here.
        if (proxyResponse.Content.Headers.NonValidated.TryGetValues("Content-Encoding", out var encoding))
        {
            response.Headers.ContentEncoding = encoding.ToString();
            response.Headers.Vary = "Accept-Encoding";
        }

        return new(true);
    }

    /// <summary>Trailers are the platform's framing, not part of the FHIR answer: none are relayed.</summary>
    public override ValueTask TransformResponseTrailersAsync(HttpContext httpContext, HttpResponseMessage proxyResponse, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;
}
