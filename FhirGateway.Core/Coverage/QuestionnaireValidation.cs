using System.Text.Json;

namespace FhirGateway.Core.Coverage;

/// <summary>Answers to a payer's questionnaire: a QuestionnaireResponse, or a <c>linkId → answer</c> map the gateway turns into one.</summary>
public sealed record QuestionnaireAnswers
{
    /// <summary>The payer platform's id or alias (where the questionnaire is fetched).</summary>
    public required string PlatformId { get; init; }

    /// <summary>The questionnaire's canonical; null to take it from <see cref="QuestionnaireResponse"/>.</summary>
    public string? Questionnaire { get; init; }

    /// <summary>A QuestionnaireResponse as FHIR JSON.</summary>
    public JsonElement? QuestionnaireResponse { get; init; }

    /// <summary>Answers by linkId: a value (string, number, boolean; a code or display for choices), an array of them, or a FHIR answer object.</summary>
    public JsonElement? Answers { get; init; }

    /// <summary>The patient the answers are about; null for the patient in context.</summary>
    public string? PatientId { get; init; }
}

/// <summary>Whether a QuestionnaireResponse answers every required item that is enabled.</summary>
public sealed record QuestionnaireValidation
{
    /// <summary>The questionnaire checked against (<c>url|version</c>).</summary>
    public required string Questionnaire { get; init; }

    /// <summary>True when nothing is missing and nothing was refused.</summary>
    public required bool Complete { get; init; }

    /// <summary>Required, enabled items without an answer.</summary>
    public required IReadOnlyList<MissingItem> Missing { get; init; }

    /// <summary>Answers that could not be used (unknown linkId, a value of the wrong type, an option not offered).</summary>
    public required IReadOnlyList<string> Problems { get; init; }

    /// <summary>The QuestionnaireResponse checked (built from the map when answers were given as one).</summary>
    public required JsonElement QuestionnaireResponse { get; init; }
}

/// <summary>A required item without an answer.</summary>
/// <param name="LinkId">The item's linkId.</param>
/// <param name="Text">The question.</param>
public sealed record MissingItem(string LinkId, string? Text);
