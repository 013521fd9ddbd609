namespace FhirGateway.Core.Platforms;

/// <summary>
/// A loaded platform: its definition with configuration applied (URL overrides, placeholders filled),
/// and whether it can be used now. Holds no secrets; see <see cref="IPlatformRegistry.TryGetCredentials"/>.
/// </summary>
/// <param name="Definition">The definition after configuration overrides.</param>
/// <param name="IsRegistered">A client id is available: a published public one, or one set in configuration.</param>
/// <param name="Problem">Why the platform cannot be used now, naming the setting to fix; null when usable.</param>
public sealed record Platform(PlatformDefinition Definition, bool IsRegistered, string? Problem)
{
    /// <summary>The platform's id.</summary>
    public string Id => Definition.Id;

    /// <summary>Whether the gateway can connect to the platform as configured.</summary>
    public bool IsUsable => Problem is null;
}
