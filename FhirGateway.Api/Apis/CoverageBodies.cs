using System.Text.Json;
using FhirGateway.Core.Coverage;

namespace FhirGateway.Api.Apis;

/// <summary>Body of <c>POST /api/coverage/{platform_id}/prior-auth/check</c>.</summary>
/// <param name="Mode">prefetch (default: the gateway sends Patient and Coverage) or fhir_authorization (the payer reads them with the user's token).</param>
internal sealed record PriorAuthCheckBody(
    string? Code, string? System, string? PatientId = null, string? CoverageId = null, string? OrderType = null, string? Hook = null,
    IReadOnlyList<string>? DiagnosisCodes = null, string? Mode = null)
{
    public PriorAuthCheckRequest ToRequest(string platformId) => new()
    {
        PlatformId = platformId, Code = Code ?? "", System = System ?? "", PatientId = PatientId, CoverageId = CoverageId, OrderType = OrderType,
        Hook = Hook, DiagnosisCodes = DiagnosisCodes ?? [], Mode = PrefetchModes.Parse(Mode),
    };
}

/// <summary>Body of <c>POST /api/coverage/{platform_id}/questionnaire-package</c>.</summary>
internal sealed record QuestionnairePackageBody(
    IReadOnlyList<string>? Questionnaires = null, string? Code = null, string? System = null, string? PatientId = null, string? CoverageId = null, string? OrderType = null)
{
    public QuestionnairePackageRequest ToRequest(string platformId) => new()
    {
        PlatformId = platformId, Questionnaires = Questionnaires ?? [], Code = Code, System = System, PatientId = PatientId, CoverageId = CoverageId, OrderType = OrderType,
    };
}

/// <summary>Body of <c>POST /api/coverage/{platform_id}/questionnaire-response/validate</c>.</summary>
internal sealed record QuestionnaireAnswersBody(string? Questionnaire = null, JsonElement? QuestionnaireResponse = null, JsonElement? Answers = null, string? PatientId = null)
{
    public QuestionnaireAnswers ToRequest(string platformId) => new()
    {
        PlatformId = platformId, Questionnaire = Questionnaire, QuestionnaireResponse = QuestionnaireResponse, Answers = Answers, PatientId = PatientId,
    };
}

/// <summary>Body of <c>POST /api/coverage/{platform_id}/prior-auth/submit</c>.</summary>
internal sealed record PriorAuthSubmitBody(
    string? Code, string? System, string? PatientId = null, string? CoverageId = null, string? Provider = null, string? ClaimIdentifier = null,
    IReadOnlyList<string>? DiagnosisCodes = null, string? Questionnaire = null, JsonElement? QuestionnaireResponse = null, JsonElement? Answers = null)
{
    public PriorAuthSubmission ToRequest(string platformId) => new()
    {
        PlatformId = platformId, Code = Code ?? "", System = System ?? "", PatientId = PatientId, CoverageId = CoverageId, Provider = Provider,
        ClaimIdentifier = ClaimIdentifier, DiagnosisCodes = DiagnosisCodes ?? [], Questionnaire = Questionnaire,
        QuestionnaireResponse = QuestionnaireResponse, Answers = Answers,
    };
}

/// <summary>Body of <c>POST /api/coverage/{platform_id}/prior-auth/inquire</c>.</summary>
internal sealed record PriorAuthInquireBody(string? ClaimIdentifier, string? PatientId = null, string? CoverageId = null, string? Provider = null)
{
    public PriorAuthInquiry ToRequest(string platformId) => new()
    {
        PlatformId = platformId, ClaimIdentifier = ClaimIdentifier ?? throw new CoverageRequestException("claim_identifier is required."),
        PatientId = PatientId, CoverageId = CoverageId, Provider = Provider,
    };
}
