using System.Collections.Concurrent;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// One <see cref="PlatformResilience"/> per platform, shared by both senders (<see cref="UpstreamSender"/> runs its calls
/// through it; <see cref="FhirProxy"/> enters its circuit and repeats by its policy from its own loop), so that a
/// platform has one circuit whichever path calls it, and one platform failing never slows or trips another.
/// </summary>
internal sealed class UpstreamResilience(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, PlatformResilience> _platforms = new(StringComparer.OrdinalIgnoreCase);

    public PlatformResilience For(string platformId) =>
        _platforms.GetOrAdd(platformId, static (_, time) => new PlatformResilience(new PlatformCircuit(time), time), time);
}
