using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// One resilience pipeline per platform, so one platform failing never slows or trips another: the platform's
/// timeout over the whole call (retries included), retries of safe requests on transient failures, and a
/// circuit breaker that stops calling a platform that keeps failing.
/// </summary>
internal sealed class UpstreamPipelines(IOptions<FhirClientOptions> options, TimeProvider time)
{
    /// <summary>Set on the context when the request is safe to repeat.</summary>
    public static readonly ResiliencePropertyKey<bool> Safe = new("fhir-gateway.safe");

    private readonly ConcurrentDictionary<string, ResiliencePipeline<HttpResponseMessage>> _timed = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, ResiliencePipeline<HttpResponseMessage>> _untimed = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The platform's timeout around <see cref="WithoutTimeout"/>: for senders that have no timeout of their own.</summary>
    public ResiliencePipeline<HttpResponseMessage> For(string platformId) => _timed.GetOrAdd(platformId, BuildTimed);

    /// <summary>
    /// Retries and the circuit breaker only, for a sender that enforces the platform's timeout itself (YARP's activity
    /// timeout); the same instance <see cref="For"/> wraps, so a platform has one breaker whichever path calls it.
    /// </summary>
    public ResiliencePipeline<HttpResponseMessage> WithoutTimeout(string platformId) => _untimed.GetOrAdd(platformId, Build);

    private ResiliencePipeline<HttpResponseMessage> BuildTimed(string platformId) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddTimeout(new TimeoutStrategyOptions { Timeout = options.Value.TimeoutFor(platformId) })
            .AddPipeline(WithoutTimeout(platformId))
            .Build();

    private ResiliencePipeline<HttpResponseMessage> Build(string platformId) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = 2,
                Delay = TimeSpan.FromMilliseconds(200),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(args.Context.Properties.GetValue(Safe, false) && IsTransient(args.Outcome)),
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = 0.5,
                MinimumThroughput = 10,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(15),
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
            })
            .Build();

    /// <summary>Connection failures and the statuses a server uses for "try again" (RFC 9110 §15.6).</summary>
    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException
        || outcome.Result?.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
}
