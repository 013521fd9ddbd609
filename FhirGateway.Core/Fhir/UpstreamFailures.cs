using System.Net;
using FhirGateway.Core.Errors;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace FhirGateway.Core.Fhir;

/// <summary>What a failed call to a platform means to the caller: 504 (timeout), 503 (circuit open) or 502 (unreachable).</summary>
internal static class UpstreamFailures
{
    /// <summary>The error for <paramref name="failure"/>, or null when it is not a platform failure (e.g. the client went away).</summary>
    public static UpstreamException? From(Exception failure, string platformId, FhirClientOptions options) => failure switch
    {
        TimeoutRejectedException => new(HttpStatusCode.GatewayTimeout, $"Platform '{platformId}' did not answer within {options.TimeoutFor(platformId).TotalSeconds} s.", failure),
        BrokenCircuitException => new(HttpStatusCode.ServiceUnavailable, $"Platform '{platformId}' kept failing; calls to it are paused for a few seconds.", failure),
        HttpRequestException => new(HttpStatusCode.BadGateway, $"Platform '{platformId}' could not be reached.", failure),
        _ => null,
    };
}
