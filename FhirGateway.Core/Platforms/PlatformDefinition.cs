using System.Text.Json.Serialization;

namespace FhirGateway.Core.Platforms;

/// <summary>
/// One platform as its file in <c>platforms/</c> describes it (see <c>platforms/platform.schema.json</c>).
/// Holds no secrets: client ids of registered apps, client secrets and keys come from configuration.
/// </summary>
public sealed record PlatformDefinition
{
    /// <summary>Stable id; equals the file name without <c>.json</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Full name.</summary>
    public required string Name { get; init; }

    /// <summary>Short name shown to people and agents.</summary>
    public required string DisplayName { get; init; }

    /// <summary>Kind of platform.</summary>
    public required PlatformType Type { get; init; }

    /// <summary>Verified or draft.</summary>
    public required PlatformStatus Status { get; init; }

    /// <summary>Whether an app must be registered with the platform.</summary>
    public required PlatformRegistration Registration { get; init; }

    /// <summary>Read missing OAuth endpoints from <c>{fhir_base_url}/.well-known/smart-configuration</c>.</summary>
    public bool Discovery { get; init; }

    /// <summary>FHIR calls are allowed without an access token.</summary>
    public bool Open { get; init; }

    /// <summary>FHIR base URL, after configuration overrides and placeholders; null when unknown.</summary>
    public string? FhirBaseUrl { get; init; }

    /// <summary>The platform's test endpoint, for reference.</summary>
    public string? SandboxUrl { get; init; }

    /// <summary>FHIR version as the platform states it.</summary>
    public string? FhirVersion { get; init; }

    /// <summary>Where to register an app.</summary>
    public string? DeveloperPortal { get; init; }

    /// <summary>Extra headers sent on every FHIR request (upstream quirks).</summary>
    public IReadOnlyDictionary<string, string> ClientHeaders { get; init => field = value ?? new Dictionary<string, string>(); } = new Dictionary<string, string>();

    /// <summary>FHIR operations (names without <c>$</c>) allowed through to this platform beyond the gateway's default list.</summary>
    public IReadOnlyList<string> FhirOperations { get; init => field = value ?? []; } = [];

    /// <summary>Capability flags (<c>patient_access</c>, <c>bulk_data</c>, ...).</summary>
    public IReadOnlyDictionary<string, bool> Capabilities { get; init => field = value ?? new Dictionary<string, bool>(); } = new Dictionary<string, bool>();

    /// <summary>Where the platform serves CRD, DTR and PAS (Da Vinci Burden Reduction), after configuration overrides.</summary>
    public PlatformCoverage Coverage { get; init => field = value ?? new(); } = new();

    /// <summary>OAuth 2.0 / SMART settings.</summary>
    [JsonPropertyName("oauth")]
    public PlatformOAuth OAuth { get; init => field = value ?? new(); } = new();

    /// <summary>SMART Backend Services settings, when the platform is used with system access.</summary>
    public BackendServicesSettings? BackendServices { get; init; }

    /// <summary>Other names and ids the platform is found by.</summary>
    public IReadOnlyList<string> Aliases { get; init => field = value ?? []; } = [];

    /// <summary>Regular expressions over organisation names that suggest this platform.</summary>
    public IReadOnlyList<string> Patterns { get; init => field = value ?? []; } = [];

    /// <summary>Payer ids the platform serves.</summary>
    public IReadOnlyList<string> PayerIds { get; init => field = value ?? []; } = [];

    /// <summary>Notes for maintainers.</summary>
    public string? Notes { get; init; }
}
