namespace FhirGateway.Core.Platforms;

/// <summary>
/// Names of the flat configuration keys (environment variables) that configure one platform:
/// <c>FHIR_GATEWAY_PLATFORM_{ID}_{SETTING}</c>, the id upper-cased with '-' replaced by '_'.
/// </summary>
public static class PlatformSettings
{
    /// <summary>Prefix of every per-platform key.</summary>
    public const string Prefix = "FHIR_GATEWAY_PLATFORM_";

    /// <summary>Client id of the app registered with the platform.</summary>
    public const string ClientId = "CLIENT_ID";

    /// <summary>Client secret of a confidential client.</summary>
    public const string ClientSecret = "CLIENT_SECRET";

    /// <summary>PEM private key for private_key_jwt / SMART Backend Services.</summary>
    public const string PrivateKey = "PRIVATE_KEY";

    /// <summary>Overrides <c>fhir_base_url</c>.</summary>
    public const string FhirBaseUrl = "FHIR_BASE_URL";

    /// <summary>Overrides <c>oauth.authorize_url</c>.</summary>
    public const string AuthorizeUrl = "AUTHORIZE_URL";

    /// <summary>Overrides <c>oauth.token_url</c>.</summary>
    public const string TokenUrl = "TOKEN_URL";

    /// <summary>Overrides <c>oauth.revoke_url</c>.</summary>
    public const string RevokeUrl = "REVOKE_URL";

    /// <summary>Overrides <c>coverage.cds_services_url</c> (CRD, CDS Hooks discovery).</summary>
    public const string CdsServicesUrl = "CDS_SERVICES_URL";

    /// <summary>Overrides <c>coverage.dtr_fhir_base_url</c>.</summary>
    public const string DtrFhirBaseUrl = "DTR_FHIR_BASE_URL";

    /// <summary>Overrides <c>coverage.pas_fhir_base_url</c>.</summary>
    public const string PasFhirBaseUrl = "PAS_FHIR_BASE_URL";

    /// <summary>Creates a new platform as a copy of the named one (for an organisation's own Epic or Cerner instance).</summary>
    public const string Template = "TEMPLATE";

    /// <summary>Name of a platform created from a template.</summary>
    public const string Name = "NAME";

    /// <summary>Display name of a platform created from a template.</summary>
    public const string DisplayName = "DISPLAY_NAME";

    /// <summary>Every setting name above; a key ending in one of them must name a known platform.</summary>
    internal static readonly string[] Known = [ClientId, ClientSecret, PrivateKey, FhirBaseUrl, AuthorizeUrl, TokenUrl, RevokeUrl, CdsServicesUrl, DtrFhirBaseUrl, PasFhirBaseUrl, Template, DisplayName, Name];

    /// <summary>The key of one setting of one platform, e.g. <c>FHIR_GATEWAY_PLATFORM_EPIC_SANDBOX_PATIENT_CLIENT_ID</c>.</summary>
    public static string Key(string platformId, string setting)
    {
        ArgumentNullException.ThrowIfNull(platformId);
        return $"{Prefix}{KeyPart(platformId)}_{setting}";
    }

    /// <summary>A platform id as it appears in keys: upper case, '-' as '_'.</summary>
    internal static string KeyPart(string platformId) => platformId.ToUpperInvariant().Replace('-', '_');

    /// <summary>The platform id a key part names: lower case, '_' as '-'.</summary>
    internal static string IdFromKeyPart(string keyPart) => keyPart.ToLowerInvariant().Replace('_', '-');
}
