namespace FhirGateway.Core.Platforms;

/// <summary>
/// A platform's client credentials, from configuration only. Kept apart from <see cref="Platform"/> so that
/// nothing that serializes a platform can carry them; <see cref="ToString"/> never prints the secrets.
/// </summary>
/// <param name="ClientId">The client id: configured, or the platform's published public one.</param>
/// <param name="ClientSecret">The client secret of a confidential client.</param>
/// <param name="PrivateKey">The PEM private key for SMART Backend Services / private_key_jwt.</param>
public sealed record PlatformCredentials(string? ClientId, string? ClientSecret, string? PrivateKey)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"PlatformCredentials {{ ClientId = {ClientId}, ClientSecret = {(ClientSecret is null ? "none" : "***")}, PrivateKey = {(PrivateKey is null ? "none" : "***")} }}";
}
