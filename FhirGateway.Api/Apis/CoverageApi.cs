using FhirGateway.Api.Identity;
using FhirGateway.Core.Coverage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FhirGateway.Api.Apis;

/// <summary>
/// Coverage over REST (Da Vinci CRD, DTR, PAS): <c>/api/coverage/{platform_id}/...</c>, acting with the caller's
/// connection to the payer platform. Answers are snake_case JSON; errors are OperationOutcomes (GatewayExceptionHandler).
/// </summary>
internal static class CoverageApi
{
    public static IEndpointRouteBuilder MapCoverageApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/coverage/{platform_id}").WithTags("Coverage");

        api.MapPost("/prior-auth/check", CheckPriorAuth).WithName("CheckPriorAuth")
            .WithSummary("CRD: does this order (code and system) need prior authorization with the patient's coverage? Answers required, not-required, conditional, not-covered or unknown, with the payer's cards.");
        api.MapGet("/policy-rules", GetPolicyRules).WithName("GetPolicyRules")
            .WithSummary("What the payer publishes about its policy for a code (CRD card links, documentation questionnaires), or plainly that it publishes nothing.");
        api.MapPost("/questionnaire-package", GetQuestionnairePackage).WithName("GetQuestionnairePackage")
            .WithSummary("DTR: the payer's questionnaires ($questionnaire-package) as simplified items and Markdown.");
        api.MapPost("/questionnaire-response/validate", ValidateQuestionnaireResponse).WithName("ValidateQuestionnaireResponse")
            .WithSummary("Checks a QuestionnaireResponse, or a linkId-to-answer map, against the payer's questionnaire: required items respecting enableWhen.");
        api.MapPost("/prior-auth/submit", SubmitPriorAuth).WithName("SubmitPriorAuth")
            // Submitting a request changes state at the payer with the session's connection: no cross-site forms.
            .AddEndpointFilter<SameOriginFilter>()
            .WithSummary("PAS: submits a prior authorization request (Claim/$submit) with the documentation attached.");
        api.MapPost("/prior-auth/inquire", InquirePriorAuth).WithName("InquirePriorAuth")
            .WithSummary("PAS: the status of an earlier request (Claim/$inquire).");
        api.MapGet("/prior-auth/{claim_identifier}", GetPriorAuthStatus).WithName("GetPriorAuthStatus")
            .WithSummary("PAS: the status of an earlier request by its claim identifier (Claim/$inquire).");
        return app;
    }

    public static async Task<JsonHttpResult<PriorAuthCheck>> CheckPriorAuth(
        HttpContext context, ICoverageService coverage, [AsParameters] PlatformRoute route, PriorAuthCheckBody body, CancellationToken cancellationToken) =>
        TypedResults.Json(await coverage.CheckPriorAuthAsync(RequestOwner.Resolve(context), body.ToRequest(route.PlatformId), cancellationToken), CoverageJsonContext.Default.PriorAuthCheck);

    public static async Task<JsonHttpResult<PolicyRules>> GetPolicyRules(
        HttpContext context, ICoverageService coverage, [AsParameters] PlatformRoute route, string? code, string? system,
        [FromQuery(Name = "patient_id")] string? patientId, [FromQuery(Name = "coverage_id")] string? coverageId, CancellationToken cancellationToken)
    {
        var request = new PriorAuthCheckRequest { PlatformId = route.PlatformId, Code = code ?? "", System = system ?? "", PatientId = patientId, CoverageId = coverageId };
        return TypedResults.Json(await coverage.GetPolicyRulesAsync(RequestOwner.Resolve(context), request, cancellationToken), CoverageJsonContext.Default.PolicyRules);
    }

    public static async Task<JsonHttpResult<QuestionnairePackage>> GetQuestionnairePackage(
        HttpContext context, ICoverageService coverage, [AsParameters] PlatformRoute route, QuestionnairePackageBody body, CancellationToken cancellationToken) =>
        TypedResults.Json(await coverage.GetQuestionnairePackageAsync(RequestOwner.Resolve(context), body.ToRequest(route.PlatformId), cancellationToken), CoverageJsonContext.Default.QuestionnairePackage);

    public static async Task<JsonHttpResult<QuestionnaireValidation>> ValidateQuestionnaireResponse(
        HttpContext context, ICoverageService coverage, [AsParameters] PlatformRoute route, QuestionnaireAnswersBody body, CancellationToken cancellationToken) =>
        TypedResults.Json(await coverage.ValidateAnswersAsync(RequestOwner.Resolve(context), body.ToRequest(route.PlatformId), cancellationToken), CoverageJsonContext.Default.QuestionnaireValidation);

    public static async Task<JsonHttpResult<PriorAuthDecision>> SubmitPriorAuth(
        HttpContext context, ICoverageService coverage, [AsParameters] PlatformRoute route, PriorAuthSubmitBody body, CancellationToken cancellationToken) =>
        TypedResults.Json(await coverage.SubmitPriorAuthAsync(RequestOwner.Resolve(context), body.ToRequest(route.PlatformId), cancellationToken), CoverageJsonContext.Default.PriorAuthDecision);

    public static async Task<JsonHttpResult<PriorAuthDecision>> InquirePriorAuth(
        HttpContext context, ICoverageService coverage, [AsParameters] PlatformRoute route, PriorAuthInquireBody body, CancellationToken cancellationToken) =>
        TypedResults.Json(await coverage.InquirePriorAuthAsync(RequestOwner.Resolve(context), body.ToRequest(route.PlatformId), cancellationToken), CoverageJsonContext.Default.PriorAuthDecision);

    public static async Task<JsonHttpResult<PriorAuthDecision>> GetPriorAuthStatus(
        HttpContext context, ICoverageService coverage, [AsParameters] PlatformRoute route, [FromRoute(Name = "claim_identifier")] string claimIdentifier,
        [FromQuery(Name = "patient_id")] string? patientId, [FromQuery(Name = "coverage_id")] string? coverageId, string? provider, CancellationToken cancellationToken)
    {
        var request = new PriorAuthInquiry { PlatformId = route.PlatformId, ClaimIdentifier = claimIdentifier, PatientId = patientId, CoverageId = coverageId, Provider = provider };
        return TypedResults.Json(await coverage.InquirePriorAuthAsync(RequestOwner.Resolve(context), request, cancellationToken), CoverageJsonContext.Default.PriorAuthDecision);
    }

    /// <summary>The route's platform id.</summary>
    internal readonly record struct PlatformRoute([property: FromRoute(Name = "platform_id")] string PlatformId);
}
