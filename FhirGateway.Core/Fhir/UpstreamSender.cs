using System.Net;
using FhirGateway.Core.Auth;
using FhirGateway.Core.Errors;
using FhirGateway.Core.Platforms;
using FhirGateway.Core.Tokens;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// Sends one validated request to a platform with the owner's access token, through the platform's pipeline.
/// On a 401 it refreshes once and repeats an idempotent request; anything else gets a 401 telling the caller
/// to re-authorize. The caller's own <c>Authorization</c> header never gets here.
/// </summary>
internal sealed class UpstreamSender(
    IHttpMessageHandlerFactory handlers, UpstreamPipelines pipelines, ISmartAuthorization authorization,
    IOptions<SmartAuthOptions> smartOptions, IOptions<FhirClientOptions> options) : IDisposable
{

    /// <summary>Headers a platform file may not set: they carry identity or framing the gateway owns.</summary>
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase) { "Authorization", "Cookie", "Host", "Content-Length", "Transfer-Encoding" };

    /// <summary>
    /// One invoker for every call: its handler lives as long as the process (<see cref="FhirClientExtensions"/> sets an
    /// infinite handler lifetime; the pool recycles connections itself), so asking the factory per call only costs.
    /// An invoker, not an <see cref="HttpClient"/>: a client links a cancellation source per call for its own timeout
    /// and pending-request cancellation, which the platform pipeline's timeout already covers.
    /// </summary>
    private readonly HttpMessageInvoker _client = new(handlers.CreateHandler(FhirHttpClients.Upstream), disposeHandler: false);

    public async Task<HttpResponseMessage> SendAsync(OwnerKey? owner, Platform platform, FhirRequest request, Uri url, CancellationToken cancellationToken)
    {
        var tokenOptional = platform.Definition.Open || request.Interaction == FhirInteraction.Capabilities;
        var token = await TokenAsync(owner, platform, tokenOptional, forceRefresh: false, cancellationToken);
        var response = await SendOnceAsync(platform, request, url, token, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || token is null)
        {
            return response;
        }

        response.Dispose();
        if (!request.IsIdempotent)
        {
            // Refresh now, so the caller's repeat goes out with a new token; a failed refresh says "log in again" itself.
            await authorization.GetConnectionAsync(owner!.Value, platform.Id, forceRefresh: true, cancellationToken);
            throw Reauthorize(platform, "the platform refused the access token and this request is not repeated automatically (it is not idempotent); the token is refreshed: send it again, or log in again if it fails.");
        }

        token = await TokenAsync(owner, platform, optional: false, forceRefresh: true, cancellationToken);
        response = await SendOnceAsync(platform, request, url, token, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            response.Dispose();
            throw Reauthorize(platform, "the platform refused a freshly refreshed access token.");
        }

        return response;
    }

    private async Task<string?> TokenAsync(OwnerKey? owner, Platform platform, bool optional, bool forceRefresh, CancellationToken cancellationToken)
    {
        if (owner is not { } key)
        {
            return optional ? null : throw Reauthorize(platform, "this client has no gateway session.");
        }

        try
        {
            return (await authorization.GetConnectionAsync(key, platform.Id, forceRefresh, cancellationToken)).AccessToken;
        }
        catch (AuthorizationRequiredException) when (optional)
        {
            return null;
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(Platform platform, FhirRequest request, Uri url, string? token, CancellationToken cancellationToken)
    {
        var client = _client;
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(UpstreamPipelines.Safe, request.IsSafe);
        try
        {
            return await pipelines.For(platform.Id).ExecuteAsync(
                static async (ctx, state) =>
                {
                    var message = Build(state.platform, state.request, state.url, state.token);
                    // SocketsHttpHandler answers once the headers are in; the body streams (HttpClient's ResponseHeadersRead).
                    return await state.client.SendAsync(message, ctx.CancellationToken);
                },
                context,
                (platform, request, url, token, client));
        }
        catch (TimeoutRejectedException timeout)
        {
            throw new UpstreamException(HttpStatusCode.GatewayTimeout,
                $"Platform '{platform.Id}' did not answer within {options.Value.TimeoutFor(platform.Id).TotalSeconds} s.", timeout);
        }
        catch (BrokenCircuitException open)
        {
            throw new UpstreamException(HttpStatusCode.ServiceUnavailable, $"Platform '{platform.Id}' kept failing; calls to it are paused for a few seconds.", open);
        }
        catch (HttpRequestException failed)
        {
            throw new UpstreamException(HttpStatusCode.BadGateway, $"Platform '{platform.Id}' could not be reached.", failed);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
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

        message.Headers.TryAddWithoutValidation("Accept", "application/fhir+json");
        foreach (var (name, value) in request.Headers)
        {
            if (FhirRequest.IsForwardedHeader(name))
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        // Platform quirks (e.g. Cerner wants Accept: application/fhir+json exactly) override the defaults above.
        foreach (var (name, value) in platform.Definition.ClientHeaders)
        {
            if (ReservedHeaders.Contains(name))
            {
                continue;
            }

            message.Headers.Remove(name);
            if (!message.Headers.TryAddWithoutValidation(name, value) && message.Content is not null)
            {
                message.Content.Headers.Remove(name);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (token is not null)
        {
            message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        return message;
    }

    /// <summary>Only the invoker: the handler (and its connection pool) belongs to the factory.</summary>
    public void Dispose() => _client.Dispose();

    private AuthorizationRequiredException Reauthorize(Platform platform, string reason) =>
        new(platform.Id, char.ToUpperInvariant(reason[0]) + reason[1..], smartOptions.Value.LoginUrl(platform.Id));
}
