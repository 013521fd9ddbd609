using FhirGateway.Core.Tokens;

namespace FhirGateway.Core.Coverage;

/// <summary>
/// Coverage with the Da Vinci Burden Reduction guides, shared by the REST and MCP front-ends: CRD (does an order
/// need prior authorization?), DTR (the payer's documentation questionnaires), PAS (submit the request, ask its
/// status) and the payer's published policy. Every call acts with the owner's connection to the payer platform;
/// every failure is a <see cref="Errors.GatewayException"/>: a bad code or input 400, a platform without the service
/// configured 400 naming the setting, the payer unreachable 502 or slow 504. Every answer restates what the payer
/// returned, never a made-up default.
/// </summary>
public interface ICoverageService
{
    /// <summary>CRD: asks the payer's CDS Hooks service about a draft order built from the code.</summary>
    Task<PriorAuthCheck> CheckPriorAuthAsync(OwnerKey? owner, PriorAuthCheckRequest request, CancellationToken cancellationToken = default);

    /// <summary>What the payer publishes about its policy for a code (from its CRD answer).</summary>
    Task<PolicyRules> GetPolicyRulesAsync(OwnerKey? owner, PriorAuthCheckRequest request, CancellationToken cancellationToken = default);

    /// <summary>DTR: the payer's questionnaire package for questionnaire canonicals or an order.</summary>
    Task<QuestionnairePackage> GetQuestionnairePackageAsync(OwnerKey? owner, QuestionnairePackageRequest request, CancellationToken cancellationToken = default);

    /// <summary>Checks answers against the payer's questionnaire: required items, respecting enableWhen.</summary>
    Task<QuestionnaireValidation> ValidateAnswersAsync(OwnerKey? owner, QuestionnaireAnswers answers, CancellationToken cancellationToken = default);

    /// <summary>PAS: submits a prior authorization request (<c>Claim/$submit</c>).</summary>
    Task<PriorAuthDecision> SubmitPriorAuthAsync(OwnerKey? owner, PriorAuthSubmission request, CancellationToken cancellationToken = default);

    /// <summary>PAS: asks for the status of an earlier request (<c>Claim/$inquire</c>).</summary>
    Task<PriorAuthDecision> InquirePriorAuthAsync(OwnerKey? owner, PriorAuthInquiry request, CancellationToken cancellationToken = default);
}
