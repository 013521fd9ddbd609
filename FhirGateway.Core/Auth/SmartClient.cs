using FhirGateway.Core.Platforms;

namespace FhirGateway.Core.Auth;

/// <summary>Everything needed to talk OAuth to one platform: where, as whom, and how the client authenticates.</summary>
/// <param name="Platform">The platform, usable.</param>
/// <param name="Credentials">Its credentials from configuration. Never log them.</param>
/// <param name="ClientId">The client id.</param>
/// <param name="Endpoints">Its authorization server.</param>
/// <param name="AuthMethod">How the client authenticates at the token and revocation endpoints.</param>
internal sealed record SmartClient(Platform Platform, PlatformCredentials Credentials, string ClientId, AuthServerEndpoints Endpoints, ClientAuthMethod AuthMethod)
{
    public string PlatformId => Platform.Id;

    /// <summary>The FHIR base: the <c>aud</c> of every authorization (SMART App Launch 2.2 §2.0.5).</summary>
    public string FhirBaseUrl => Platform.Definition.FhirBaseUrl!;

    /// <summary>Whether the client holds a secret or a key (selects the platform's confidential scope list).</summary>
    public bool IsConfidential => AuthMethod != ClientAuthMethod.None;
}
