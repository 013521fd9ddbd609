using System.Collections.Concurrent;
using FhirGateway.Core.Errors;
using FhirGateway.Core.Platforms;
using FhirGateway.Core.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// The REST fast path (<see cref="IFhirProxy"/>): YARP's forwarder moves the request and the answer, the gateway
/// decides everything else. Checked as <see cref="FhirClient"/> checks (<see cref="FhirRequestValidator"/>), sent
/// through the platform's resilience (<see cref="PlatformResilienceHandler"/>), refreshed and repeated once on
/// a 401, and audited once with the status the caller saw (499 when the caller went away).
/// </summary>
internal sealed class FhirProxy(
    AuditedFhirCalls calls, PlatformUpstreams upstreams, IHttpForwarder forwarder, IHttpMessageHandlerFactory handlers,
    UpstreamResilience resilience, UpstreamTokens tokens, IOptions<FhirClientOptions> options) : IFhirProxy
{
    private readonly ConcurrentDictionary<string, Route> _routes = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The factory's handler, the FHIR client's too: one connection pool for every platform, answers left as encoded.</summary>
    private readonly HttpMessageHandler _traced = handlers.CreateHandler(FhirHttpClients.Upstream);

    /// <summary>The same without HttpClient's diagnostics, for requests nobody traces (<see cref="UpstreamTracing"/>).</summary>
    private readonly HttpMessageHandler _untraced = handlers.CreateHandler(FhirHttpClients.Untraced);

    public async Task ForwardAsync(HttpContext context, OwnerKey? owner, FhirRequest request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        if (!IFhirProxy.Forwards(request.Interaction) || request.Body is not null)
        {
            throw new ArgumentException($"The {request.Interaction} interaction is sent by IFhirClient, not forwarded.", nameof(request));
        }

        var cancellationToken = context.RequestAborted;
        var call = calls.Begin(owner, request);
        try
        {
            var platform = call.Resolve();
            var baseUrl = PlatformUpstreams.BaseUrl(platform);
            var url = FhirRequestValidator.Validate(request, platform.Definition, upstreams.Base(baseUrl), options.Value.MaxCount);
            var links = request.LinkBase is { } linkBase ? upstreams.Links(baseUrl, linkBase, platform.Id) : null;
            var route = _routes.GetOrAdd(platform.Id, static (id, self) => self.RouteFor(id), this);
            var traced = UpstreamTracing.IsTraced(System.Diagnostics.Activity.Current);
            var invoker = traced ? route.Traced : route.Untraced;
            for (var refreshed = false; ; refreshed = true)
            {
                var token = await tokens.GetAsync(owner, platform, !refreshed && UpstreamTokens.IsOptional(platform, request), forceRefresh: refreshed, cancellationToken);
                var proxied = new ProxiedCall(platform, request, url, links, token, propagate: !traced);
                // The forwarder ties the call to RequestAborted itself; passing it again would only register twice.
                var error = await forwarder.SendAsync(context, baseUrl, invoker, route.Config, proxied, CancellationToken.None);
                var status = Outcome(context, platform, proxied, error);
                if (!proxied.Refused)
                {
                    call.Succeeded(status);
                    return;
                }

                if (refreshed)
                {
                    throw tokens.Reauthorize(platform, "the platform refused a freshly refreshed access token.");
                }

                // Read, vread and delete are idempotent (RFC 9110 §9.2.2): repeated once with a refreshed token. Nothing of
                // the refused answer was relayed; the forwarder left only its status.
                context.Response.StatusCode = StatusCodes.Status200OK;
            }
        }
        catch (Exception e)
        {
            call.Failed(e, cancellationToken);
            throw;
        }
        finally
        {
            call.End();
        }
    }

    /// <summary>
    /// The status the caller got from one forwarding, or the error to answer with while nothing is written. Not an
    /// async method of its own: each async layer that completes later is an allocation per request.
    /// </summary>
    private int Outcome(HttpContext context, Platform platform, ProxiedCall call, ForwarderError error)
    {
        if (call.Failure is { } failure)
        {
            throw failure;
        }

        if (error == ForwarderError.None)
        {
            return context.Response.StatusCode;
        }

        context.RequestAborted.ThrowIfCancellationRequested();
        if (context.Response.HasStarted)
        {
            // The platform broke off mid-answer: the forwarder has aborted the caller's connection, so the caller
            // cannot take the answer for whole; all that is left is to record it.
            return StatusCodes.Status502BadGateway;
        }

        var exception = context.GetForwarderErrorFeature()?.Exception;
        throw (exception is null ? null : UpstreamFailures.From(exception, platform.Id, options.Value))
            ?? (error == ForwarderError.RequestTimedOut
                ? UpstreamFailures.TimedOut(platform.Id, options.Value, exception)
                : UpstreamFailures.Unreachable(platform.Id, exception));
    }

    private Route RouteFor(string platformId) => new(
        new HttpMessageInvoker(new PlatformResilienceHandler(resilience.For(platformId), _traced), disposeHandler: false),
        new HttpMessageInvoker(new PlatformResilienceHandler(resilience.For(platformId), _untraced), disposeHandler: false),
        // The platform's timeout: the forwarder cancels a call idle that long, waiting for the answer (retries included)
        // or within its body; a second timer around the resilience would only cost.
        new ForwarderRequestConfig { ActivityTimeout = options.Value.TimeoutFor(platformId) });

    /// <summary>A platform's invokers (<see cref="UpstreamTracing"/>) and the forwarder's settings for it.</summary>
    private sealed record Route(HttpMessageInvoker Traced, HttpMessageInvoker Untraced, ForwarderRequestConfig Config);
}
