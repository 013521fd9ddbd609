using System.Text.Json;

namespace FhirGateway.Core.Coverage;

/// <summary>A prior authorization request to send with PAS <c>Claim/$submit</c>.</summary>
public sealed record PriorAuthSubmission
{
    /// <summary>The payer platform's id or alias.</summary>
    public required string PlatformId { get; init; }

    /// <summary>The service's code.</summary>
    public required string Code { get; init; }

    /// <summary>Its system.</summary>
    public required string System { get; init; }

    /// <summary>The patient's id; null for the patient in context.</summary>
    public string? PatientId { get; init; }

    /// <summary>The Coverage id; null for the patient's first active coverage.</summary>
    public string? CoverageId { get; init; }

    /// <summary>The requesting provider, <c>Practitioner/…</c>, <c>PractitionerRole/…</c> or <c>Organization/…</c>; null for the patient's general practitioner.</summary>
    public string? Provider { get; init; }

    /// <summary>The request's identifier (the key for status inquiries); null to create one.</summary>
    public string? ClaimIdentifier { get; init; }

    /// <summary>ICD-10-CM codes for the request.</summary>
    public IReadOnlyList<string> DiagnosisCodes { get; init; } = [];

    /// <summary>The documentation: the questionnaire's canonical with answers or a QuestionnaireResponse; null to send none.</summary>
    public string? Questionnaire { get; init; }

    /// <summary>A QuestionnaireResponse as FHIR JSON.</summary>
    public JsonElement? QuestionnaireResponse { get; init; }

    /// <summary>Answers by linkId (see <see cref="QuestionnaireAnswers.Answers"/>).</summary>
    public JsonElement? Answers { get; init; }
}

/// <summary>A PAS status inquiry (<c>Claim/$inquire</c>) for an earlier request.</summary>
public sealed record PriorAuthInquiry
{
    /// <summary>The payer platform's id or alias.</summary>
    public required string PlatformId { get; init; }

    /// <summary>The request's identifier, as <see cref="PriorAuthDecision.ClaimIdentifier"/> gave it.</summary>
    public required string ClaimIdentifier { get; init; }

    /// <summary>The patient's id; null for the patient in context.</summary>
    public string? PatientId { get; init; }

    /// <summary>The Coverage id; null for the patient's first active coverage.</summary>
    public string? CoverageId { get; init; }

    /// <summary>The requesting provider; null for the patient's general practitioner.</summary>
    public string? Provider { get; init; }
}
