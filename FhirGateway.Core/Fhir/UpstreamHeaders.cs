using System.Runtime.CompilerServices;
using FhirGateway.Core.Platforms;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// The headers a request to a platform carries, whoever sends it: <c>Accept: application/fhir+json</c>, the caller's
/// FHIR conditional headers and <c>Prefer</c> (<see cref="FhirRequest.ForwardedHeaders"/>), the platform file's client
/// headers, and the owner's access token. Nothing else of the caller's request (cookies, the gateway key, its own
/// <c>Authorization</c>) goes upstream.
/// </summary>
internal static class UpstreamHeaders
{
    /// <summary>Headers a platform file may not set: they carry identity or framing the gateway owns.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase) { "Authorization", "Cookie", "Host", "Content-Length", "Transfer-Encoding" };

    /// <summary>
    /// The header value for each token string, kept as long as that string lives: a token read from the decrypted
    /// connection cache is the same string on every call, and copying a 1-2 KB JWT per request was the largest
    /// allocation of a proxied read (the ProxyBench allocation profile, 2026-11-28).
    /// </summary>
    private static readonly ConditionalWeakTable<string, string> BearerValues = [];

    private static string Bearer(string token) =>
        BearerValues.TryGetValue(token, out var value) ? value : BearerValues.GetValue(token, static t => "Bearer " + t);

    public static void Apply(HttpRequestMessage message, PlatformDefinition platform, IReadOnlyList<KeyValuePair<string, string>> callerHeaders, string? token)
    {
        message.Headers.TryAddWithoutValidation("Accept", "application/fhir+json");
        foreach (var (name, value) in callerHeaders)
        {
            if (FhirRequest.IsForwardedHeader(name))
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        // Platform quirks (e.g. Cerner wants Accept: application/fhir+json exactly) override the defaults above.
        foreach (var (name, value) in platform.ClientHeaders)
        {
            if (Reserved.Contains(name))
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
            message.Headers.TryAddWithoutValidation("Authorization", Bearer(token));
        }
    }
}
