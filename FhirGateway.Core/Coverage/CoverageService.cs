using FhirGateway.Core.Tokens;

namespace FhirGateway.Core.Coverage;

/// <summary>The coverage features behind one interface: CRD, DTR and PAS each have their own class.</summary>
internal sealed class CoverageService(CoverageRequirements requirements, DocumentationTemplates templates, PriorAuthorization priorAuthorization) : ICoverageService
{
    public Task<PriorAuthCheck> CheckPriorAuthAsync(OwnerKey? owner, PriorAuthCheckRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return requirements.CheckAsync(owner, request, cancellationToken);
    }

    public async Task<PolicyRules> GetPolicyRulesAsync(OwnerKey? owner, PriorAuthCheckRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return PolicyRules.From(await requirements.CheckAsync(owner, request, cancellationToken));
    }

    public Task<QuestionnairePackage> GetQuestionnairePackageAsync(OwnerKey? owner, QuestionnairePackageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return templates.PackageAsync(owner, request, cancellationToken);
    }

    public async Task<QuestionnaireValidation> ValidateAnswersAsync(OwnerKey? owner, QuestionnaireAnswers answers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(answers);
        return (await templates.ValidateAsync(owner, answers, cancellationToken)).Result;
    }

    public Task<PriorAuthDecision> SubmitPriorAuthAsync(OwnerKey? owner, PriorAuthSubmission request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return priorAuthorization.SubmitAsync(owner, request, cancellationToken);
    }

    public Task<PriorAuthDecision> InquirePriorAuthAsync(OwnerKey? owner, PriorAuthInquiry request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return priorAuthorization.InquireAsync(owner, request, cancellationToken);
    }
}
