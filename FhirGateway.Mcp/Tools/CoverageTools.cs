using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace FhirGateway.Mcp.Tools;

/// <summary>
/// Coverage (Da Vinci CRD, DTR, PAS), declared with their final parameters so agents can plan with them. They
/// answer "not available yet" until the coverage work lands: never made-up data.
/// </summary>
[McpServerToolType]
[SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "MCP parameter names are the tool's wire contract.")]
[SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "MCP tool methods; they take services once implemented.")]
public sealed class CoverageTools
{
    /// <summary>What every coverage tool answers for now.</summary>
    public const string NotAvailable = "not available yet: coverage support lands with the coverage work (Da Vinci CRD, DTR and PAS). " +
        "No prior-authorization answer can be given through the gateway today; do not assume one.";

    [McpServerTool(Name = "check_prior_auth", ReadOnly = true, OpenWorld = true)]
    [Description("Asks the payer (Da Vinci CRD, CDS Hooks order-select/order-sign) whether a service or medication needs prior authorization for a patient's coverage: " +
        "required, not-required, conditional or unknown, with the payer's reason, documentation needs and DTR questionnaires.")]
    public string CheckPriorAuth(
        [Description("The payer platform id or alias, from list_platforms.")] string platform_id,
        [Description("The ordered code, e.g. '72148' (CPT), 'E0601' (HCPCS), a SNOMED CT or RxNorm code.")] string code,
        [Description("The code system: 'cpt', 'hcpcs', 'icd-10-cm', 'snomed', 'loinc', 'rxnorm', or the system URI.")] string code_system,
        [Description("The patient's FHIR id at the platform; leave out to use the patient in context of the connection.")] string? patient_id = null,
        [Description("The Coverage resource id; leave out to use the patient's active coverage.")] string? coverage_id = null,
        [Description("The draft order's type: ServiceRequest (default), MedicationRequest or DeviceRequest.")] string? order_type = null,
        [Description("The CDS hook: order-select or order-sign (default).")] string? hook = null,
        [Description("Diagnosis codes (ICD-10-CM) supporting the order, comma-separated.")] string? diagnosis_codes = null) =>
        throw new McpException(NotAvailable);

    [McpServerTool(Name = "get_questionnaire_package", ReadOnly = true, OpenWorld = true)]
    [Description("Fetches the payer's documentation template (Da Vinci DTR $questionnaire-package) for an order and coverage: " +
        "the questionnaire as a simplified item list and as Markdown, with its value sets.")]
    public string GetQuestionnairePackage(
        [Description("The payer platform id or alias.")] string platform_id,
        [Description("The Coverage resource id the documentation is for.")] string coverage_id,
        [Description("Questionnaire canonical URLs from check_prior_auth, comma-separated; leave out to ask by order code.")] string? questionnaire = null,
        [Description("The ordered code, when asking by order.")] string? code = null,
        [Description("The code's system, when asking by order: 'cpt', 'hcpcs', 'icd-10-cm', 'snomed', 'loinc' or a URI.")] string? code_system = null,
        [Description("The patient's FHIR id at the platform.")] string? patient_id = null) =>
        throw new McpException(NotAvailable);

    [McpServerTool(Name = "get_policy_rules", ReadOnly = true, OpenWorld = true)]
    [Description("Lists what the payer publishes about its coverage policy for a code (CRD card links, documentation references, " +
        "Library/PlanDefinition where exposed), and says plainly when it publishes nothing.")]
    public string GetPolicyRules(
        [Description("The payer platform id or alias.")] string platform_id,
        [Description("The code the policy is about, e.g. '72148'.")] string code,
        [Description("The code system: 'cpt', 'hcpcs', 'icd-10-cm', 'snomed', 'loinc', 'rxnorm' or a URI.")] string code_system) =>
        throw new McpException(NotAvailable);
}
