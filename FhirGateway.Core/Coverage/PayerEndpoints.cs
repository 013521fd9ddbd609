using FhirGateway.Core.Errors;
using FhirGateway.Core.Platforms;

namespace FhirGateway.Core.Coverage;

/// <summary>
/// Where a platform serves CRD, DTR and PAS, or why it cannot be used for them (400 naming what is missing).
/// DTR and PAS go through the platform's FHIR base with the user's connection: a different base in the platform
/// file is refused, because the user's access token is only ever sent to the platform's own FHIR base.
/// </summary>
internal static class PayerEndpoints
{
    /// <summary>The platform and its CDS Hooks discovery URL.</summary>
    public static (Platform Platform, Uri CdsServices) Crd(IPlatformRegistry platforms, string platformId)
    {
        var platform = Find(platforms, platformId);
        var coverage = platform.Definition.Coverage;
        if (coverage.CdsServicesUrl is null)
        {
            var offers = platform.Definition.Capabilities.GetValueOrDefault("crd")
                ? "its platform file says it offers CRD but gives no CDS Hooks URL"
                : "it has no CRD (CDS Hooks) service configured";
            throw new PlatformNotConfiguredException(platform.Id,
                $"{offers}; set coverage.cds_services_url in its file or {PlatformSettings.Key(platform.Id, PlatformSettings.CdsServicesUrl)}.");
        }

        return Uri.TryCreate(coverage.CdsServicesUrl.TrimEnd('/'), UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? (platform, url)
            : throw new PlatformNotConfiguredException(platform.Id, $"coverage.cds_services_url is not an http(s) URL; fix {PlatformSettings.Key(platform.Id, PlatformSettings.CdsServicesUrl)}.");
    }

    /// <summary>The platform, checked to serve DTR on its FHIR base.</summary>
    public static Platform Dtr(IPlatformRegistry platforms, string platformId) =>
        FhirBased(platforms, platformId, "dtr", "DTR (Questionnaire/$questionnaire-package)", p => p.Definition.Coverage.DtrFhirBaseUrl, PlatformSettings.DtrFhirBaseUrl);

    /// <summary>The platform, checked to serve PAS on its FHIR base.</summary>
    public static Platform Pas(IPlatformRegistry platforms, string platformId) =>
        FhirBased(platforms, platformId, "pas", "PAS (Claim/$submit, Claim/$inquire)", p => p.Definition.Coverage.PasFhirBaseUrl, PlatformSettings.PasFhirBaseUrl);

    private static Platform FhirBased(IPlatformRegistry platforms, string platformId, string capability, string what, Func<Platform, string?> baseOf, string setting)
    {
        var platform = Find(platforms, platformId);
        var fhirBase = platform.Definition.FhirBaseUrl?.TrimEnd('/');
        var own = baseOf(platform)?.TrimEnd('/');
        if (!platform.Definition.Capabilities.GetValueOrDefault(capability) && own is null)
        {
            throw new PlatformNotConfiguredException(platform.Id,
                $"its platform file does not say it offers {what}; set capabilities.{capability} (and coverage.{capability}_fhir_base_url when it is not fhir_base_url).");
        }

        if (own is not null && !string.Equals(own, fhirBase, StringComparison.OrdinalIgnoreCase))
        {
            throw new PlatformNotConfiguredException(platform.Id,
                $"{what} is served at another FHIR base than the platform's ({PlatformSettings.Key(platform.Id, setting)}); the gateway sends the user's " +
                "access token only to the platform's own FHIR base. Add that base as a platform of its own and connect to it.");
        }

        return platform;
    }

    private static Platform Find(IPlatformRegistry platforms, string platformId) =>
        platforms.Find(platformId) ?? throw new PlatformNotFoundException(platformId);
}
