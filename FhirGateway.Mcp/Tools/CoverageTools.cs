using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using FhirGateway.Core.Coverage;
using FhirGateway.Mcp.Identity;
using ModelContextProtocol.Server;

namespace FhirGateway.Mcp.Tools;

/// <summary>
/// Coverage for agents (Da Vinci CRD, DTR, PAS) through the shared <see cref="ICoverageService"/>, with the caller's
/// connection to the payer platform. Answers are short text: a summary restating the payer, then key fields.
/// </summary>
[McpServerToolType]
[SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "MCP parameter names are the tool's wire contract.")]
public sealed class CoverageTools(ICoverageService coverage, McpCaller caller)
{
    [McpServerTool(Name = "check_prior_auth", ReadOnly = true, OpenWorld = true)]
    [Description("Asks the payer (Da Vinci CRD, CDS Hooks order-select/order-sign) whether a service or medication needs prior authorization for a patient's coverage: " +
        "required, not-required, conditional, not-covered or unknown, with the payer's reason, documentation needs and DTR questionnaires.")]
    public async Task<string> CheckPriorAuth(
        [Description("The payer platform id or alias, from list_platforms.")] string platform_id,
        [Description("The ordered code, e.g. '72148' (CPT), 'E0601' (HCPCS), a SNOMED CT or RxNorm code.")] string code,
        [Description("The code system: 'cpt', 'hcpcs', 'snomed', 'loinc', 'rxnorm', or the system URI.")] string code_system,
        [Description("The patient's FHIR id at the platform; leave out to use the patient in context of the connection.")] string? patient_id = null,
        [Description("The Coverage resource id; leave out to use the patient's active coverage.")] string? coverage_id = null,
        [Description("The draft order's type: ServiceRequest, MedicationRequest or DeviceRequest; leave out to choose from the code system.")] string? order_type = null,
        [Description("The CDS hook: order-select or order-sign (default).")] string? hook = null,
        [Description("Diagnosis codes (ICD-10-CM) supporting the order, comma-separated.")] string? diagnosis_codes = null,
        [Description("prefetch (default: the gateway sends Patient and Coverage) or fhir_authorization (the payer reads them itself with the user's access token).")] string? mode = null,
        CancellationToken cancellationToken = default)
    {
        var check = await coverage.CheckPriorAuthAsync(caller.Owner, new PriorAuthCheckRequest
        {
            PlatformId = platform_id, Code = code, System = code_system, PatientId = patient_id, CoverageId = coverage_id, OrderType = order_type,
            Hook = hook, DiagnosisCodes = diagnosis_codes is null ? [] : [diagnosis_codes], Mode = PrefetchModes.Parse(mode),
        }, cancellationToken);
        return CoverageText.Of(check);
    }

    [McpServerTool(Name = "get_questionnaire_package", ReadOnly = true, OpenWorld = true)]
    [Description("Fetches the payer's documentation template (Da Vinci DTR $questionnaire-package) for an order and coverage: " +
        "the questionnaire as Markdown (items by linkId, types, required marks, options, enableWhen conditions) with its value sets.")]
    public async Task<string> GetQuestionnairePackage(
        [Description("The payer platform id or alias.")] string platform_id,
        [Description("The Coverage resource id the documentation is for; leave out for the patient's active coverage.")] string? coverage_id = null,
        [Description("Questionnaire canonical URLs from check_prior_auth, comma-separated; leave out to ask by order code.")] string? questionnaire = null,
        [Description("The ordered code, when asking by order.")] string? code = null,
        [Description("The code's system, when asking by order: 'cpt', 'hcpcs', 'snomed', 'loinc', 'rxnorm' or a URI.")] string? code_system = null,
        [Description("The patient's FHIR id at the platform; leave out for the patient in context.")] string? patient_id = null,
        CancellationToken cancellationToken = default)
    {
        var package = await coverage.GetQuestionnairePackageAsync(caller.Owner, new QuestionnairePackageRequest
        {
            PlatformId = platform_id, CoverageId = coverage_id, Questionnaires = questionnaire is null ? [] : [questionnaire], Code = code, System = code_system, PatientId = patient_id,
        }, cancellationToken);
        return CoverageText.Of(package);
    }

    [McpServerTool(Name = "get_policy_rules", ReadOnly = true, OpenWorld = true)]
    [Description("Lists what the payer publishes about its coverage policy for a code (CRD card links, documentation questionnaires, reasons), " +
        "and says plainly when it publishes nothing.")]
    public async Task<string> GetPolicyRules(
        [Description("The payer platform id or alias.")] string platform_id,
        [Description("The code the policy is about, e.g. '72148'.")] string code,
        [Description("The code system: 'cpt', 'hcpcs', 'snomed', 'loinc', 'rxnorm' or a URI.")] string code_system,
        [Description("The patient's FHIR id at the platform; leave out for the patient in context.")] string? patient_id = null,
        CancellationToken cancellationToken = default)
    {
        var rules = await coverage.GetPolicyRulesAsync(caller.Owner, new PriorAuthCheckRequest
        {
            PlatformId = platform_id, Code = code, System = code_system, PatientId = patient_id,
        }, cancellationToken);
        return CoverageText.Of(rules);
    }

    [McpServerTool(Name = "submit_prior_auth", Destructive = false, OpenWorld = true)]
    [Description("Submits a prior authorization request to the payer (Da Vinci PAS Claim/$submit) with the questionnaire answers attached. " +
        "Answers are checked first: missing required items are listed and nothing is sent. Needs write scopes (Claim create). " +
        "Answers the decision (approved, pended, denied), the claim_identifier for get_prior_auth_status and, once approved, the preAuthRef.")]
    public async Task<string> SubmitPriorAuth(
        [Description("The payer platform id or alias.")] string platform_id,
        [Description("The service's code, e.g. '72148'.")] string code,
        [Description("The code system: 'cpt', 'hcpcs', 'snomed', 'loinc', 'rxnorm' or a URI.")] string code_system,
        [Description("The questionnaire's canonical URL (from check_prior_auth) the answers are for.")] string? questionnaire = null,
        [Description("Answers by linkId, e.g. {\"symptom-weeks\": 8, \"conservative-therapy\": true, \"red-flags\": \"none\"}; a choice takes an option's code or display, several answers an array.")] JsonElement? answers = null,
        [Description("Instead of answers: a whole QuestionnaireResponse as FHIR JSON.")] JsonElement? questionnaire_response = null,
        [Description("The patient's FHIR id at the platform; leave out for the patient in context.")] string? patient_id = null,
        [Description("The Coverage resource id; leave out for the patient's active coverage.")] string? coverage_id = null,
        [Description("The requesting provider, e.g. 'Practitioner/123'; leave out for the patient's general practitioner.")] string? provider = null,
        [Description("Diagnosis codes (ICD-10-CM), comma-separated.")] string? diagnosis_codes = null,
        CancellationToken cancellationToken = default)
    {
        var decision = await coverage.SubmitPriorAuthAsync(caller.Owner, new PriorAuthSubmission
        {
            PlatformId = platform_id, Code = code, System = code_system, Questionnaire = questionnaire, Answers = answers,
            QuestionnaireResponse = questionnaire_response, PatientId = patient_id, CoverageId = coverage_id, Provider = provider,
            DiagnosisCodes = diagnosis_codes is null ? [] : [diagnosis_codes],
        }, cancellationToken);
        return CoverageText.Of(decision);
    }

    [McpServerTool(Name = "get_prior_auth_status", ReadOnly = true, OpenWorld = true)]
    [Description("Asks the payer for the current status of a prior authorization request (Da Vinci PAS Claim/$inquire): approved with its preAuthRef, pended or denied.")]
    public async Task<string> GetPriorAuthStatus(
        [Description("The payer platform id or alias.")] string platform_id,
        [Description("The claim_identifier submit_prior_auth returned.")] string claim_identifier,
        [Description("The patient's FHIR id at the platform; leave out for the patient in context.")] string? patient_id = null,
        [Description("The Coverage resource id; leave out for the patient's active coverage.")] string? coverage_id = null,
        [Description("The requesting provider, as given to submit_prior_auth; leave out for the patient's general practitioner.")] string? provider = null,
        CancellationToken cancellationToken = default)
    {
        var decision = await coverage.InquirePriorAuthAsync(caller.Owner, new PriorAuthInquiry
        {
            PlatformId = platform_id, ClaimIdentifier = claim_identifier, PatientId = patient_id, CoverageId = coverage_id, Provider = provider,
        }, cancellationToken);
        return CoverageText.Of(decision);
    }
}
