using System.Collections.Concurrent;
using System.Net;
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
/// through the platform's circuit and repeated as <see cref="PlatformResilience"/> repeats (a read after a transient
/// failure, within the platform's timeout), refreshed and repeated once on a 401, and audited once with the status
/// the caller saw (499 when the caller went away).
/// </summary>
/// <remarks>
/// Every repeat is a forwarding of its own from this one loop, not a handler inside the forwarder's: a withheld
/// answer (<see cref="ProxiedCall"/>) leaves only its status, and one async method per call is one state machine.
/// </remarks>
internal sealed class FhirProxy(
    AuditedFhirCalls calls, PlatformUpstreams upstreams, IHttpForwarder forwarder, IHttpMessageHandlerFactory handlers,
    UpstreamResilience resilience, UpstreamTokens tokens, TimeProvider time, IOptions<FhirClientOptions> options) : IFhirProxy, IDisposable
{
    /// <summary>A repeat's least time to answer, when the delay before it overran what was left.</summary>
    private static readonly TimeSpan MinimumTimeout = TimeSpan.FromMilliseconds(1);

    private readonly ConcurrentDictionary<string, Route> _routes = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The factory's handler, the FHIR client's too: one connection pool for every platform, answers left as encoded.</summary>
    private readonly HttpMessageInvoker _traced = new(handlers.CreateHandler(FhirHttpClients.Upstream), disposeHandler: false);

    /// <summary>The same without HttpClient's diagnostics, for requests nobody traces (<see cref="UpstreamTracing"/>).</summary>
    private readonly HttpMessageInvoker _untraced = new(handlers.CreateHandler(FhirHttpClients.Untraced), disposeHandler: false);

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
            var invoker = traced ? _traced : _untraced;
            var config = route.Config;
            var started = time.GetTimestamp();
            var refreshed = false;
            var retry = 0;
            while (true)
            {
                var token = await tokens.GetAsync(owner, platform, !refreshed && UpstreamTokens.IsOptional(platform, request), forceRefresh: refreshed, cancellationToken);
                // A read is safe (RFC 9110 §9.2.1): repeated after a transient failure when the delay still leaves time
                // within the platform's timeout, which covers the whole call until the answer, repeats included.
                var repeatable = request.IsSafe && retry < PlatformResilience.MaxRetries;
                var delay = repeatable ? PlatformResilience.Delay(retry) : TimeSpan.Zero;
                var repeatUntil = repeatable ? started + route.TimeoutTicks - Ticks(delay) : 0;
                var proxied = new ProxiedCall(platform, request, url, links, token, propagate: !traced, time, repeatUntil);
                var trial = Enter(route.Circuit, platform);
                ForwarderError error;
                try
                {
                    // The forwarder ties the call to RequestAborted itself; passing it again would only register twice.
                    error = await forwarder.SendAsync(context, baseUrl, invoker, config, proxied, CancellationToken.None);
                }
                catch
                {
                    route.Circuit.Record(failed: false, trial);
                    throw;
                }

                var failed = error == ForwarderError.None
                    ? PlatformResilience.IsTransient((HttpStatusCode)context.Response.StatusCode)
                    : error == ForwarderError.Request && context.GetForwarderErrorFeature()?.Exception is HttpRequestException;
                route.Circuit.Record(failed, trial);
                // A transient answer the transformer withheld, or a connection failure while a repeat is still due.
                if (proxied.Withheld || (failed && error != ForwarderError.None && time.GetTimestamp() < repeatUntil && !cancellationToken.IsCancellationRequested))
                {
                    await Task.Delay(delay, time, cancellationToken);
                    retry++;
                    var left = time.GetElapsedTime(time.GetTimestamp(), started + route.TimeoutTicks);
                    config = new ForwarderRequestConfig { ActivityTimeout = left > MinimumTimeout ? left : MinimumTimeout };
                    Reset(context);
                    continue;
                }

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

                // Read, vread and delete are idempotent (RFC 9110 §9.2.2): repeated once with a refreshed token, as a
                // call of its own (its repeats and its timeout anew).
                refreshed = true;
                retry = 0;
                started = time.GetTimestamp();
                config = route.Config;
                Reset(context);
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

    /// <summary>Only the invokers: the handlers (and their connection pools) belong to the factory.</summary>
    public void Dispose()
    {
        _traced.Dispose();
        _untraced.Dispose();
    }

    /// <summary>Lets the call through the platform's circuit (true for its trial call), or answers 503 while it is open.</summary>
    private static bool Enter(PlatformCircuit circuit, Platform platform)
    {
        try
        {
            return circuit.Enter();
        }
        catch (PlatformPausedException paused)
        {
            throw UpstreamFailures.Paused(platform.Id, paused);
        }
    }

    /// <summary>Before a repeat: nothing of the withheld answer or the failed attempt was relayed; the forwarder left only its status (and its error).</summary>
    private static void Reset(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Features.Set<IForwarderErrorFeature>(null);
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * time.TimestampFrequency);

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

    private Route RouteFor(string platformId)
    {
        var timeout = options.Value.TimeoutFor(platformId);
        return new(
            resilience.For(platformId).Circuit,
            // The platform's timeout: the forwarder cancels a call idle that long, waiting for the answer or within its
            // body; a repeat gets what is left of it.
            new ForwarderRequestConfig { ActivityTimeout = timeout },
            Ticks(timeout));
    }

    /// <summary>A platform's circuit, the forwarder's settings for it and its timeout in <see cref="TimeProvider"/> ticks.</summary>
    private sealed record Route(PlatformCircuit Circuit, ForwarderRequestConfig Config, long TimeoutTicks);
}
