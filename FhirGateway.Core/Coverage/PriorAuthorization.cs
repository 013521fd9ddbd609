using System.Text.Json;
using System.Text.Json.Nodes;
using FhirGateway.Core.Platforms;
using FhirGateway.Core.Tokens;
using Microsoft.Extensions.Logging;

namespace FhirGateway.Core.Coverage;

/// <summary>
/// PAS: builds the request Bundle from what the user's connection reads (Patient, Coverage, the payer Organization,
/// the provider) and the documentation, sends <c>Claim/$submit</c>, and <c>Claim/$inquire</c> for the status.
/// Documentation is checked against the payer's questionnaire first: missing required answers are a 400 listing them.
/// </summary>
internal sealed class PriorAuthorization(
    IPlatformRegistry platforms, PayerFhir fhir, PatientContext patients, DocumentationTemplates templates, ILogger<PriorAuthorization> logger)
{
    public async Task<PriorAuthDecision> SubmitAsync(OwnerKey? owner, PriorAuthSubmission request, CancellationToken cancellationToken)
    {
        var code = CoverageCodes.Parse(request.System, request.Code);
        var diagnoses = DraftOrder.Diagnoses(request.DiagnosisCodes);
        var platform = PayerEndpoints.Pas(platforms, request.PlatformId);
        var identifier = Identifier(request.ClaimIdentifier);
        var parties = await PartiesAsync(owner, platform, request.PatientId, request.CoverageId, request.Provider, cancellationToken);

        JsonObject? documentation = null;
        if (request.QuestionnaireResponse is { ValueKind: JsonValueKind.Object } || request.Answers is { ValueKind: JsonValueKind.Object })
        {
            var (check, response) = await templates.ValidateAsync(owner, new QuestionnaireAnswers
            {
                PlatformId = platform.Id, Questionnaire = request.Questionnaire, QuestionnaireResponse = request.QuestionnaireResponse,
                Answers = request.Answers, PatientId = Json.Text(parties.Patient, "id"),
            }, cancellationToken);
            if (!check.Complete)
            {
                throw new CoverageRequestException(
                    $"The documentation for {check.Questionnaire} is incomplete; nothing was submitted. " +
                    string.Join(" ", new[]
                    {
                        check.Missing.Count > 0 ? $"Required items not answered: {string.Join(", ", check.Missing.Select(m => m.LinkId))}." : null,
                        check.Problems.Count > 0 ? $"Answers refused: {string.Join(" ", check.Problems)}" : null,
                    }.OfType<string>()));
            }

            documentation = response;
        }

        var bundle = PasBundle.Request(parties, identifier, code, diagnoses, documentation);
        var answer = await fhir.OperationAsync(owner, platform.Id, "Claim", "$submit", bundle, cancellationToken);
        var decision = PasResponse.Read(platform.Id, identifier, answer);
        CoverageLog.PriorAuthorization(logger, platform.Id, "submit", decision.Status);
        return decision;
    }

    public async Task<PriorAuthDecision> InquireAsync(OwnerKey? owner, PriorAuthInquiry request, CancellationToken cancellationToken)
    {
        var platform = PayerEndpoints.Pas(platforms, request.PlatformId);
        var identifier = Identifier(request.ClaimIdentifier);
        var parties = await PartiesAsync(owner, platform, request.PatientId, request.CoverageId, request.Provider, cancellationToken);
        var answer = await fhir.OperationAsync(owner, platform.Id, "Claim", "$inquire", PasBundle.Inquiry(parties, identifier), cancellationToken);
        var decision = PasResponse.Read(platform.Id, identifier, answer);
        CoverageLog.PriorAuthorization(logger, platform.Id, "inquire", decision.Status);
        return decision;
    }

    private async Task<PasBundle.Parties> PartiesAsync(OwnerKey? owner, Platform platform, string? patientId, string? coverageId, string? provider, CancellationToken cancellationToken)
    {
        var id = await patients.PatientIdAsync(owner, platform.Id, patientId, cancellationToken);
        var patient = await patients.PatientAsync(owner, platform.Id, id, cancellationToken);
        var (_, coverages) = await patients.CoveragesAsync(owner, platform.Id, id, coverageId, cancellationToken);
        var coverage = (coverages.Count > 0 ? coverages[0] : null)
            ?? throw new CoverageRequestException($"No active coverage found for this patient at {platform.Definition.DisplayName}: a prior authorization request needs one (give coverage_id).");
        var insurerReference = Json.Objects(coverage, "payor").Select(p => Json.Text(p, "reference")).FirstOrDefault(r => r is not null)
            ?? throw new CoverageRequestException("The patient's Coverage names no payor to send the request to.");
        var insurer = await ReadReferenceAsync(owner, platform.Id, insurerReference, "the Coverage's payor", cancellationToken);
        var providerReference = provider?.Trim()
            ?? Json.Objects(patient, "generalPractitioner").Select(p => Json.Text(p, "reference")).FirstOrDefault(r => r is not null)
            ?? throw new CoverageRequestException("Name the requesting provider (provider: Practitioner/…, PractitionerRole/… or Organization/…); the patient has no general practitioner on file.");
        var providerResource = await ReadReferenceAsync(owner, platform.Id, providerReference, "provider", cancellationToken);
        return new PasBundle.Parties(platform.Definition.FhirBaseUrl!, patient, coverage, insurer, providerResource);
    }

    private Task<JsonObject> ReadReferenceAsync(OwnerKey? owner, string platformId, string reference, string what, CancellationToken cancellationToken)
    {
        var parts = reference.Split('/');
        return parts.Length >= 2 && parts[^2] is "Practitioner" or "PractitionerRole" or "Organization"
            ? fhir.ReadAsync(owner, platformId, parts[^2], parts[^1], cancellationToken)
            : throw new CoverageRequestException($"{what} must be a reference to a Practitioner, PractitionerRole or Organization (e.g. Practitioner/123).");
    }

    /// <summary>The caller's identifier (checked), or a new <c>urn:uuid:</c> one.</summary>
    private static string Identifier(string? given)
    {
        if (string.IsNullOrWhiteSpace(given))
        {
            return $"urn:uuid:{Guid.NewGuid()}";
        }

        var value = given.Trim();
        return value.Length <= 128 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or ':' or '_')
            ? value
            : throw new CoverageRequestException("claim_identifier must be 1-128 letters, digits, '-', '.', ':' or '_'.");
    }
}
