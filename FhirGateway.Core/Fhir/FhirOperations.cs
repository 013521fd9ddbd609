using FhirGateway.Core.Platforms;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// The operations the gateway lets through: a default list of read-mostly operations from the FHIR core spec,
/// US Core, IPA and Bulk Data, widened per platform by <c>fhir_operations</c> in its file.
/// </summary>
internal static class FhirOperations
{
    public static readonly IReadOnlySet<string> Default = new HashSet<string>(StringComparer.Ordinal)
    {
        "everything", "validate", "summary", "export", "export-poll-status", "lastn", "stats", "docref", "match",
        "expand", "lookup", "validate-code", "translate", "questionnaire-package", "meta",
    };

    /// <summary>Da Vinci PAS operations (Claim/$submit, Claim/$inquire), let through where the platform's capabilities say <c>pas</c>.</summary>
    public static readonly IReadOnlySet<string> PriorAuthorization = new HashSet<string>(StringComparer.Ordinal) { "submit", "inquire" };

    /// <summary>Whether <paramref name="operation"/> (with its <c>$</c>) may go to <paramref name="platform"/>.</summary>
    public static bool IsAllowed(string operation, PlatformDefinition platform)
    {
        var name = operation.TrimStart('$');
        return Default.Contains(name) || platform.FhirOperations.Contains(name, StringComparer.Ordinal)
            || (PriorAuthorization.Contains(name) && platform.Capabilities.GetValueOrDefault("pas"));
    }
}
