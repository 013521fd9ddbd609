using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;

namespace FhirGateway.Core.Auth;

/// <summary>
/// Reads and caches a FHIR server's SMART configuration (SMART App Launch 2.2 §2.1.2:
/// <c>{fhir_base}/.well-known/smart-configuration</c>), completed from the issuer's OpenID configuration
/// (OpenID Connect Discovery 1.0 §4) where SMART leaves out <c>jwks_uri</c> or RFC 9207's flag.
/// Documents are kept an hour; a failure only half a minute, so a platform that was down is tried again soon.
/// Concurrent first calls share one fetch.
/// </summary>
internal sealed partial class SmartDiscovery(IHttpClientFactory httpClientFactory, TimeProvider time, ILogger<SmartDiscovery> logger)
{
    private static readonly TimeSpan SuccessLifetime = TimeSpan.FromHours(1);
    private static readonly TimeSpan FailureLifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Task<Cached>> _cache = new(StringComparer.Ordinal);

    /// <summary>The metadata of the server behind <paramref name="fhirBaseUrl"/>; null when discovery failed.</summary>
    public async Task<AuthServerMetadata?> GetAsync(string platformId, string fhirBaseUrl, CancellationToken cancellationToken)
    {
        while (true)
        {
            var entry = _cache.GetOrAdd(fhirBaseUrl, url => FetchAsync(platformId, url));
            // The fetch is shared: one caller's cancellation must not fail it for the others.
            var cached = await entry.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (cached.ExpiresAt > time.GetUtcNow())
            {
                return cached.Metadata;
            }

            _cache.TryRemove(new KeyValuePair<string, Task<Cached>>(fhirBaseUrl, entry));
        }
    }

    private async Task<Cached> FetchAsync(string platformId, string fhirBaseUrl)
    {
        var smart = await ReadAsync(platformId, $"{fhirBaseUrl.TrimEnd('/')}/.well-known/smart-configuration").ConfigureAwait(false);
        if (smart?.Issuer is { } issuer && (smart.JwksUri is null || smart.AuthorizationResponseIssParameterSupported is null))
        {
            var openId = await ReadAsync(platformId, $"{issuer.TrimEnd('/')}/.well-known/openid-configuration").ConfigureAwait(false);
            // OpenID Connect Discovery 1.0 §4.3: the document is only valid for the issuer it names.
            if (openId is not null && string.Equals(openId.Issuer, issuer, StringComparison.Ordinal))
            {
                smart = smart with
                {
                    JwksUri = smart.JwksUri ?? openId.JwksUri,
                    AuthorizationResponseIssParameterSupported = smart.AuthorizationResponseIssParameterSupported ?? openId.AuthorizationResponseIssParameterSupported,
                    RevocationEndpoint = smart.RevocationEndpoint ?? openId.RevocationEndpoint,
                };
            }
        }

        return new Cached(smart, time.GetUtcNow() + (smart is null ? FailureLifetime : SuccessLifetime));
    }

    private async Task<AuthServerMetadata?> ReadAsync(string platformId, string url)
    {
        try
        {
            using var client = httpClientFactory.CreateClient(SmartHttpClients.Metadata);
            using var response = await client.GetAsync(new Uri(url), CancellationToken.None).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                SmartAuthLog.DiscoveryFailed(logger, platformId, $"HTTP {(int)response.StatusCode}");
                return null;
            }

            return await response.Content.ReadFromJsonAsync(SmartAuthJsonContext.Default.AuthServerMetadata).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or UriFormatException)
        {
            SmartAuthLog.DiscoveryFailed(logger, platformId, e.GetType().Name);
            return null;
        }
    }

    private sealed record Cached(AuthServerMetadata? Metadata, DateTimeOffset ExpiresAt);
}
