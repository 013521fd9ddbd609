namespace FhirGateway.Core.Coverage;

/// <summary>Names of the coverage features' HTTP clients.</summary>
internal static class CoverageHttpClients
{
    /// <summary>Calls payers' CDS Hooks services (CRD).</summary>
    public const string CdsHooks = "coverage-cds-hooks";
}
