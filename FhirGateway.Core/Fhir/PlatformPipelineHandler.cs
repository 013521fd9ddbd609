using Polly;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// Runs each request through one platform's resilience pipeline (<see cref="UpstreamPipelines.WithoutTimeout"/>): the
/// circuit breaker, and retries of GETs on transient failures; the sender enforces the timeout. For senders that hand
/// over a built request (<see cref="FhirProxy"/>'s forwarder) rather than a callback. Held for the process's lifetime
/// and never disposed: the inner handler is the factory's, shared by every platform.
/// </summary>
internal sealed class PlatformPipelineHandler(ResiliencePipeline<HttpResponseMessage> pipeline, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        // Only a GET is repeated: the forwarded requests carry no body, and a DELETE is not safe (RFC 9110 §9.2.1).
        context.Properties.Set(UpstreamPipelines.Safe, request.Method == HttpMethod.Get);
        try
        {
            return await pipeline.ExecuteAsync(
                static (ctx, state) => new ValueTask<HttpResponseMessage>(state.Handler.SendInnerAsync(state.Request, ctx.CancellationToken)),
                context,
                (Handler: this, Request: request));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> SendInnerAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);
}
