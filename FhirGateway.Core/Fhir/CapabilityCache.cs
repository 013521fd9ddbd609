using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// Each platform's CapabilityStatement, cached: it changes with deployments, not per user, and SMART App Launch
/// 2.2 §2.0.6 makes <c>metadata</c> public, so one copy serves every owner.
/// </summary>
internal sealed class CapabilityCache(IMemoryCache cache, IOptions<FhirClientOptions> options)
{
    public bool TryGet(string platformId, out byte[] statement) =>
        cache.TryGetValue(Key(platformId), out statement!);

    public void Set(string platformId, byte[] statement)
    {
        if (options.Value.MetadataCacheDuration > TimeSpan.Zero)
        {
            cache.Set(Key(platformId), statement, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = options.Value.MetadataCacheDuration, Size = statement.Length });
        }
    }

    private static string Key(string platformId) => $"fhir-gateway:capabilities:{platformId.ToLowerInvariant()}";
}
