namespace FhirGateway.Core.Platforms;

/// <summary>SMART Backend Services settings: which key signs the client assertion. Never the key itself.</summary>
public sealed record BackendServicesSettings
{
    /// <summary>Name of the configuration entry holding the PEM private key.</summary>
    public required string KeyName { get; init; }

    /// <summary>The key's <c>kid</c> as registered with the platform.</summary>
    public string? KeyId { get; init; }

    /// <summary>Signing algorithm (<c>RS384</c> or <c>ES384</c>); RS384 when absent.</summary>
    public string? Algorithm { get; init; }

    /// <summary>System scopes requested.</summary>
    public IReadOnlyList<string> Scopes { get; init => field = value ?? []; } = [];
}
