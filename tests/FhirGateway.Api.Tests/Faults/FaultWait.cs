using System.Net;
using FhirGateway.Testing;

namespace FhirGateway.Api.Tests.Faults;

/// <summary>Polls a route until it answers 200, for recovery after a fault.</summary>
internal static class FaultWait
{
    /// <summary>Asks <paramref name="path"/> every 100 ms until it answers 200, or the time is up.</summary>
    public static Task<bool> UntilOkAsync(HttpClient http, string path, TimeSpan timeout) =>
        Poll.UntilAsync(async () =>
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            return response.StatusCode == HttpStatusCode.OK;
        }, timeout);
}
