namespace FhirGateway.Core.Platforms;

/// <summary>Where the platform files are.</summary>
public sealed class PlatformRegistryOptions
{
    /// <summary>The configuration key (an environment variable) naming the platforms folder.</summary>
    public const string PathKey = "FHIR_GATEWAY_PLATFORMS_PATH";

    /// <summary>The folder of platform files; by default <c>platforms/</c> next to the app's binaries.</summary>
    public string Path { get; set; } = DefaultPath;

    /// <summary>The <c>platforms/</c> folder FhirGateway.Core copies next to every front-end's binaries.</summary>
    public static string DefaultPath => System.IO.Path.Combine(AppContext.BaseDirectory, "platforms");
}
