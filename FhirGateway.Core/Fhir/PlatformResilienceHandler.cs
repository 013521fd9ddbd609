namespace FhirGateway.Core.Fhir;

/// <summary>
/// Runs each request through one platform's <see cref="PlatformResilience"/>: the circuit, and repeats of GETs on
/// transient failures; the sender enforces the timeout. For senders that hand over a built request
/// (<see cref="FhirProxy"/>'s forwarder) rather than a callback. Held for the process's lifetime and never disposed:
/// the inner handler is the factory's, shared by every platform.
/// </summary>
internal sealed class PlatformResilienceHandler(PlatformResilience resilience, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        // Only a GET is repeated: the forwarded requests carry no body, and a DELETE is not safe (RFC 9110 §9.2.1).
        resilience.SendAsync(
            (Handler: this, Request: request),
            static (state, token) => state.Handler.SendInnerAsync(state.Request, token),
            safe: request.Method == HttpMethod.Get,
            cancellationToken);

    private Task<HttpResponseMessage> SendInnerAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);
}
