using System.Net;
using FhirGateway.Core.Errors;

namespace FhirGateway.Core.Fhir;

/// <summary>What a failed call to a platform means to the caller: 504 (timeout), 503 (circuit open) or 502 (unreachable).</summary>
internal static class UpstreamFailures
{
    /// <summary>The error for <paramref name="failure"/>, or null when it is not a platform failure (e.g. the client went away).</summary>
    public static UpstreamException? From(Exception failure, string platformId, FhirClientOptions options) => failure switch
    {
        TimeoutException => TimedOut(platformId, options, failure),
        PlatformPausedException paused => Paused(platformId, paused),
        HttpRequestException => Unreachable(platformId, failure),
        _ => null,
    };

    /// <summary>503: the platform's circuit is open (<see cref="PlatformCircuit"/>); nothing was sent.</summary>
    public static UpstreamException Paused(string platformId, PlatformPausedException paused) =>
        new(HttpStatusCode.ServiceUnavailable, $"Platform '{platformId}' kept failing; calls to it are paused for a few seconds.", paused);

    /// <summary>504: the platform did not answer within its timeout.</summary>
    public static UpstreamException TimedOut(string platformId, FhirClientOptions options, Exception? inner) =>
        new(HttpStatusCode.GatewayTimeout, $"Platform '{platformId}' did not answer within {options.TimeoutFor(platformId).TotalSeconds} s.", inner);

    /// <summary>502: the platform could not be reached (or the call failed before its answer).</summary>
    public static UpstreamException Unreachable(string platformId, Exception? inner) =>
        new(HttpStatusCode.BadGateway, $"Platform '{platformId}' could not be reached.", inner);
}
