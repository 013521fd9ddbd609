using System.Collections.Concurrent;
using FhirGateway.Core.Errors;
using FhirGateway.Core.Platforms;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// The per-platform objects every call needs, built once instead of per request: the parsed <see cref="UpstreamBase"/>
/// of a FHIR base URL, and the <see cref="GatewayLinks"/> for a base, link base and platform. Keyed by the values they
/// are built from, so a platform whose base URL changes gets new ones. Link bases come from configuration and the MCP
/// front-end, so the keys are few; the cap only keeps a misconfiguration from growing them without end.
/// </summary>
internal sealed class PlatformUpstreams
{
    private const int MaxEntries = 1024;

    private readonly ConcurrentDictionary<string, UpstreamBase> _bases = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string BaseUrl, string LinkBase, string PlatformId), GatewayLinks> _links = new();

    /// <summary>The platform's FHIR base URL; a platform without one is not configured (503 naming the setting).</summary>
    public static string BaseUrl(Platform platform) =>
        platform.Definition.FhirBaseUrl
        ?? throw new PlatformNotConfiguredException(platform.Id, $"it has no FHIR base URL; set {PlatformSettings.Key(platform.Id, PlatformSettings.FhirBaseUrl)}.");

    public UpstreamBase Base(string fhirBaseUrl) =>
        _bases.TryGetValue(fhirBaseUrl, out var upstream) ? upstream : Remember(_bases, fhirBaseUrl, new UpstreamBase(fhirBaseUrl));

    public GatewayLinks Links(string fhirBaseUrl, string linkBase, string platformId)
    {
        var key = (fhirBaseUrl, linkBase, platformId);
        return _links.TryGetValue(key, out var links)
            ? links
            : Remember(_links, key, new GatewayLinks(Base(fhirBaseUrl), $"{linkBase.TrimEnd('/')}/{Uri.EscapeDataString(platformId)}"));
    }

    private static TValue Remember<TKey, TValue>(ConcurrentDictionary<TKey, TValue> cache, TKey key, TValue value)
        where TKey : notnull =>
        cache.Count < MaxEntries ? cache.GetOrAdd(key, value) : value;
}
