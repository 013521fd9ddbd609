using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using ModelContextProtocol.Server;

namespace FhirGateway.Mcp.Prompts;

/// <summary>The common workflows, as prompts an MCP client can offer its user.</summary>
[McpServerPromptType]
[SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "MCP argument names are the prompt's wire contract.")]
public sealed class WorkflowPrompts
{
    [McpServerPrompt(Name = "connect_and_query")]
    [Description("Connect a FHIR platform (if not yet connected) and answer a question from the user's data there.")]
    public static string ConnectAndQuery(
        [Description("Platform id or alias, from list_platforms.")] string platform_id,
        [Description("What the user wants to know, e.g. 'my latest lab results'.")] string question) =>
        $"""
        Answer this from the user's health data at the FHIR platform '{platform_id}': {question}

        1. Call get_auth_status with platform_id '{platform_id}'. If it is not connected (or needs reauthorization), call start_auth,
           give the user the authorize_url to open (and, if a gateway_key is returned, the instructions to configure it), then call wait_for_auth.
        2. Call get_capabilities to see which resource types and search parameters the platform supports.
        3. Use search (and get_next_page only if needed) with the narrowest parameters; read single resources with read.
        4. Answer in plain language, citing resource types and dates. Say what you could not find; never guess values.
        """;

    [McpServerPrompt(Name = "patient_summary")]
    [Description("Summarize a patient's record at a platform: demographics, active conditions, medications, allergies, recent labs and encounters.")]
    public static string PatientSummary(
        [Description("Platform id or alias.")] string platform_id,
        [Description("The patient's FHIR id; leave out for the patient in context of the connection.")] string? patient_id = null) =>
        $"""
        Summarize the health record of {(patient_id is null ? "the patient in context (see get_auth_status)" : $"Patient/{patient_id}")} at platform '{platform_id}'.

        Make sure the platform is connected (get_auth_status; start_auth and wait_for_auth if not). Then read the Patient and search, each with
        the patient parameter and a small count: Condition (clinical-status=active), MedicationRequest (status=active), AllergyIntolerance,
        Observation (category=laboratory, sort=-date), Encounter (sort=-date). Use the compact lines the search tool returns; ask for raw resources only when a detail is missing.

        Write: demographics; active problems; current medications; allergies; the latest labs with values, units and dates (flag abnormal ones);
        the last encounters. State the date range covered and anything the platform did not return.
        """;

    [McpServerPrompt(Name = "prior_auth_check")]
    [Description("Check whether an ordered service or medication needs prior authorization with the patient's payer, and what documentation it needs.")]
    public static string PriorAuthCheck(
        [Description("The payer platform id or alias.")] string platform_id,
        [Description("The ordered code, e.g. '72148'.")] string code,
        [Description("The code system, e.g. 'cpt', 'hcpcs', 'snomed'.")] string code_system,
        [Description("The patient's FHIR id at the payer; leave out for the patient in context.")] string? patient_id = null) =>
        $"""
        Check prior authorization for {code_system} {code} with payer platform '{platform_id}'{(patient_id is null ? "" : $" for Patient/{patient_id}")}.

        Make sure the platform is connected (get_auth_status; start_auth and wait_for_auth if not). Call check_prior_auth with these values.
        If it says prior authorization is required and names questionnaires, call get_questionnaire_package and list what must be documented;
        call get_policy_rules for the payer's published policy. To request the authorization, collect the answers, then call submit_prior_auth
        and follow up with get_prior_auth_status while it is pended. Report only what the payer answered: never state a coverage decision the
        payer did not give.
        """;
}
