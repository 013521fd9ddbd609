namespace FhirGateway.Core.Coverage;

/// <summary>A billing or clinical code checked against its system's form (see <see cref="CoverageCodes.Parse"/>).</summary>
/// <param name="System">The code system URI as FHIR codings carry it.</param>
/// <param name="Code">The code, trimmed (letters upper-cased where the system's codes are upper case).</param>
/// <param name="SystemName">The short name: cpt, hcpcs, icd10cm, snomed, loinc or rxnorm.</param>
public sealed record CoverageCode(string System, string Code, string SystemName)
{
    /// <summary>e.g. <c>CPT 72148</c>.</summary>
    public override string ToString() => $"{SystemName.ToUpperInvariant()} {Code}";
}
