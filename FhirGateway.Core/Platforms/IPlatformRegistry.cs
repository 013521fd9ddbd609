using System.Diagnostics.CodeAnalysis;

namespace FhirGateway.Core.Platforms;

/// <summary>
/// The platforms the gateway knows, loaded once at start from <c>FHIR_GATEWAY_PLATFORMS_PATH</c> and configuration,
/// and immutable afterwards. Lookups ignore case.
/// </summary>
public interface IPlatformRegistry
{
    /// <summary>Every platform, ordered by id.</summary>
    IReadOnlyList<Platform> All { get; }

    /// <summary>Gets a platform by its id.</summary>
    bool TryGet(string id, [NotNullWhen(true)] out Platform? platform);

    /// <summary>Finds a platform by id or alias; null when none matches.</summary>
    Platform? Find(string idOrAlias);

    /// <summary>The platforms serving a payer id (several plans of one insurer may share one).</summary>
    IReadOnlyList<Platform> FindByPayerId(string payerId);

    /// <summary>Gets a platform's credentials (from configuration). Never put them in an answer or a log.</summary>
    bool TryGetCredentials(string id, [NotNullWhen(true)] out PlatformCredentials? credentials);
}
