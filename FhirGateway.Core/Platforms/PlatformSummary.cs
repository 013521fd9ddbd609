namespace FhirGateway.Core.Platforms;

/// <summary>The public view of a platform, for REST and MCP answers. Has no credentials, not even the client id.</summary>
public sealed record PlatformSummary
{
    /// <summary>Platform id.</summary>
    public required string Id { get; init; }

    /// <summary>Full name.</summary>
    public required string Name { get; init; }

    /// <summary>Short name.</summary>
    public required string DisplayName { get; init; }

    /// <summary>Kind of platform.</summary>
    public required PlatformType Type { get; init; }

    /// <summary>Verified or draft.</summary>
    public required PlatformStatus Status { get; init; }

    /// <summary>Whether an app must be registered with the platform.</summary>
    public required PlatformRegistration Registration { get; init; }

    /// <summary>A client id is available (public, or configured).</summary>
    public required bool Registered { get; init; }

    /// <summary>The gateway can connect now.</summary>
    public required bool Usable { get; init; }

    /// <summary>Why not usable, naming the setting to fix.</summary>
    public string? Problem { get; init; }

    /// <summary>FHIR base URL.</summary>
    public string? FhirBaseUrl { get; init; }

    /// <summary>FHIR version.</summary>
    public string? FhirVersion { get; init; }

    /// <summary>Where to register an app.</summary>
    public string? DeveloperPortal { get; init; }

    /// <summary>Names of the capabilities the platform has.</summary>
    public required IReadOnlyList<string> Capabilities { get; init; }

    /// <summary>Other names the platform is found by.</summary>
    public required IReadOnlyList<string> Aliases { get; init; }

    /// <summary>Payer ids the platform serves.</summary>
    public required IReadOnlyList<string> PayerIds { get; init; }

    /// <summary>Builds the public view of a platform.</summary>
    public static PlatformSummary From(Platform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        var d = platform.Definition;
        return new PlatformSummary
        {
            Id = d.Id,
            Name = d.Name,
            DisplayName = d.DisplayName,
            Type = d.Type,
            Status = d.Status,
            Registration = d.Registration,
            Registered = platform.IsRegistered,
            Usable = platform.IsUsable,
            Problem = platform.Problem,
            FhirBaseUrl = d.FhirBaseUrl,
            FhirVersion = d.FhirVersion,
            DeveloperPortal = d.DeveloperPortal,
            Capabilities = [.. d.Capabilities.Where(c => c.Value).Select(c => c.Key)],
            Aliases = d.Aliases,
            PayerIds = d.PayerIds,
        };
    }
}
