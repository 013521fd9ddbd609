using System.Text.Json.Serialization;

namespace FhirGateway.Core.Platforms;

/// <summary>
/// Scopes to request. Files give one list, or (as the original project's BCBS North Dakota file does)
/// one list per client kind: <c>{"public_client": [...], "confidential_client": [...]}</c>.
/// </summary>
/// <param name="PublicClient">Scopes requested as a public client.</param>
/// <param name="ConfidentialClient">Scopes requested as a confidential client.</param>
[JsonConverter(typeof(PlatformScopesConverter))]
public sealed record PlatformScopes(IReadOnlyList<string> PublicClient, IReadOnlyList<string> ConfidentialClient)
{
    /// <summary>The scopes for a client of the given kind.</summary>
    public IReadOnlyList<string> For(bool confidentialClient) => confidentialClient ? ConfidentialClient : PublicClient;
}
