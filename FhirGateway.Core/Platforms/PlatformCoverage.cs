namespace FhirGateway.Core.Platforms;

/// <summary>
/// Where a payer platform serves the Da Vinci Burden Reduction guides: CRD (a CDS Hooks 2.0 service) and the FHIR
/// bases of DTR (<c>Questionnaire/$questionnaire-package</c>) and PAS (<c>Claim/$submit</c>, <c>Claim/$inquire</c>).
/// Whether it offers them at all is in <see cref="PlatformDefinition.Capabilities"/> (<c>crd</c>, <c>dtr</c>, <c>pas</c>).
/// </summary>
public sealed record PlatformCoverage
{
    /// <summary>The CDS Hooks discovery endpoint, ending in <c>/cds-services</c>; null when unknown.</summary>
    public string? CdsServicesUrl { get; init; }

    /// <summary>FHIR base of the DTR operations; null means the platform's <c>fhir_base_url</c>.</summary>
    public string? DtrFhirBaseUrl { get; init; }

    /// <summary>FHIR base of the PAS operations; null means the platform's <c>fhir_base_url</c>.</summary>
    public string? PasFhirBaseUrl { get; init; }
}
