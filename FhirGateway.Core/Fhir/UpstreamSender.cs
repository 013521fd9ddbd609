using System.Net;
using FhirGateway.Core.Hosting;
using FhirGateway.Core.Platforms;
using FhirGateway.Core.Tokens;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// Sends one validated request to a platform with the owner's access token, through the platform's resilience (<see cref="PlatformResilience"/>) within its timeout.
/// On a 401 it refreshes once and repeats an idempotent request; anything else gets a 401 telling the caller
/// to re-authorize. The caller's own <c>Authorization</c> header never gets here.
/// </summary>
internal sealed class UpstreamSender(
    IHttpMessageHandlerFactory handlers, UpstreamResilience resilience, UpstreamTokens tokens, IOptions<FhirClientOptions> options) : IDisposable
{
    /// <summary>
    /// One invoker for every call: its handler lives as long as the process (<see cref="FhirClientExtensions"/> sets an
    /// infinite handler lifetime; the pool recycles connections itself), so asking the factory per call only costs.
    /// An invoker, not an <see cref="HttpClient"/>: a client links a cancellation source per call for its own timeout
    /// and pending-request cancellation, which the platform's timeout here already covers.
    /// </summary>
    private readonly HttpMessageInvoker _traced = new(handlers.CreateHandler(FhirHttpClients.Upstream), disposeHandler: false);

    /// <summary>The same without HttpClient's diagnostics, for requests nobody traces (<see cref="UpstreamTracing"/>).</summary>
    private readonly HttpMessageInvoker _untraced = new(handlers.CreateHandler(FhirHttpClients.Untraced), disposeHandler: false);

    public async Task<HttpResponseMessage> SendAsync(OwnerKey? owner, Platform platform, FhirRequest request, Uri url, CancellationToken cancellationToken)
    {
        var token = await tokens.GetAsync(owner, platform, UpstreamTokens.IsOptional(platform, request), forceRefresh: false, cancellationToken);
        var traced = UpstreamTracing.IsTraced(System.Diagnostics.Activity.Current);
        // One method for the call and its repeat after a 401: the hot path pays for one state machine, not two.
        for (var repeat = false; ; repeat = true)
        {
            HttpResponseMessage response;
            // The platform's timeout covers the whole call until its answer's headers, repeats included; the body streams after.
            using (var deadline = Deadline.Start(options.Value.TimeoutFor(platform.Id), cancellationToken))
            {
                try
                {
                    response = await resilience.For(platform.Id).SendAsync(
                        (platform, request, url, token, client: traced ? _traced : _untraced, traced),
                        static (state, callToken) =>
                        {
                            var message = Build(state.platform, state.request, state.url, state.token);
                            if (!state.traced)
                            {
                                UpstreamTracing.Propagate(message, System.Diagnostics.Activity.Current);
                            }

                            // SocketsHttpHandler answers once the headers are in; the body streams (HttpClient's ResponseHeadersRead).
                            return state.client.SendAsync(message, callToken);
                        },
                        request.IsSafe,
                        deadline.Token);
                }
                catch (OperationCanceledException cancelled) when (deadline.Expired)
                {
                    throw UpstreamFailures.TimedOut(platform.Id, options.Value, cancelled);
                }
                catch (Exception failure) when (UpstreamFailures.From(failure, platform.Id, options.Value) is { } mapped)
                {
                    throw mapped;
                }
            }

            if (response.StatusCode != HttpStatusCode.Unauthorized || token is null)
            {
                try
                {
                    UpstreamContentCoding.Decode(response, platform.Id);
                }
                catch
                {
                    response.Dispose();
                    throw;
                }

                return response;
            }

            response.Dispose();
            if (repeat)
            {
                throw tokens.Reauthorize(platform, "the platform refused a freshly refreshed access token.");
            }

            if (!request.IsIdempotent)
            {
                // Refresh now, so the caller's repeat goes out with a new token; a failed refresh says "log in again" itself.
                await tokens.RefreshAsync(owner!.Value, platform, cancellationToken);
                throw tokens.Reauthorize(platform, "the platform refused the access token and this request is not repeated automatically (it is not idempotent); the token is refreshed: send it again, or log in again if it fails.");
            }

            token = await tokens.GetAsync(owner, platform, optional: false, forceRefresh: true, cancellationToken);
        }
    }

    private static HttpRequestMessage Build(Platform platform, FhirRequest request, Uri url, string? token)
    {
        var message = new HttpRequestMessage(request.Method, url);
        if (request.Body is { Length: > 0 } body)
        {
            message.Content = new ReadOnlyMemoryContent(body);
            message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        }

        UpstreamContentCoding.Accept(message);
        UpstreamHeaders.Apply(message, platform.Definition, request.Headers, token);
        return message;
    }

    /// <summary>Only the invokers: the handlers (and their connection pools) belong to the factory.</summary>
    public void Dispose()
    {
        _traced.Dispose();
        _untraced.Dispose();
    }

}
