using System.Text.Json;

namespace FhirGateway.Core.Coverage;

/// <summary>What a DTR package request asks for.</summary>
public sealed record QuestionnairePackageRequest
{
    /// <summary>The payer platform's id or alias.</summary>
    public required string PlatformId { get; init; }

    /// <summary>Questionnaire canonicals (from a CRD answer); may be empty when asking by order.</summary>
    public IReadOnlyList<string> Questionnaires { get; init; } = [];

    /// <summary>The ordered code, to ask by order.</summary>
    public string? Code { get; init; }

    /// <summary>The code's system.</summary>
    public string? System { get; init; }

    /// <summary>The patient's id; null for the patient in context.</summary>
    public string? PatientId { get; init; }

    /// <summary>The Coverage id; null for the patient's first active coverage.</summary>
    public string? CoverageId { get; init; }

    /// <summary>The order's type when asking by order; null to choose from the code system.</summary>
    public string? OrderType { get; init; }
}

/// <summary>The payer's DTR package (<c>Questionnaire/$questionnaire-package</c>): its questionnaires, simplified, with what came with them.</summary>
public sealed record QuestionnairePackage
{
    /// <summary>The platform asked.</summary>
    public required string PlatformId { get; init; }

    /// <summary>The questionnaires of the package.</summary>
    public required IReadOnlyList<QuestionnaireView> Questionnaires { get; init; }

    /// <summary>ValueSet canonicals the package holds.</summary>
    public required IReadOnlyList<string> ValueSets { get; init; }

    /// <summary>Library canonicals the package holds (CQL for pre-population; the gateway does not run them).</summary>
    public required IReadOnlyList<string> Libraries { get; init; }
}

/// <summary>A Questionnaire as a flat list of items, as Markdown, and as the payer sent it.</summary>
public sealed record QuestionnaireView
{
    /// <summary><c>url|version</c>, as a QuestionnaireResponse names it.</summary>
    public required string Canonical { get; init; }

    /// <summary>The title.</summary>
    public string? Title { get; init; }

    /// <summary>Every item in document order, groups included.</summary>
    public required IReadOnlyList<QuestionnaireItemView> Items { get; init; }

    /// <summary>The questionnaire for a person or an agent to read and answer.</summary>
    public required string Markdown { get; init; }

    /// <summary>The Questionnaire exactly as the payer sent it.</summary>
    public required JsonElement Resource { get; init; }
}

/// <summary>One item of a questionnaire.</summary>
public sealed record QuestionnaireItemView
{
    /// <summary>The item's linkId: the key of its answer.</summary>
    public required string LinkId { get; init; }

    /// <summary>The question.</summary>
    public string? Text { get; init; }

    /// <summary>group, display, boolean, decimal, integer, date, dateTime, string, text, choice, open-choice, ...</summary>
    public required string Type { get; init; }

    /// <summary>Whether an answer is required (when the item is enabled).</summary>
    public bool Required { get; init; }

    /// <summary>Whether several answers are allowed.</summary>
    public bool Repeats { get; init; }

    /// <summary>Nesting depth (0 at the top).</summary>
    public int Level { get; init; }

    /// <summary>The enclosing item's linkId.</summary>
    public string? Parent { get; init; }

    /// <summary>The allowed answers, from answerOption or the answer ValueSet's expansion.</summary>
    public IReadOnlyList<AnswerOption> Options { get; init; } = [];

    /// <summary>The answer ValueSet's canonical, when the options come from one.</summary>
    public string? AnswerValueSet { get; init; }

    /// <summary>Conditions under which the item is shown and asked.</summary>
    public IReadOnlyList<EnableCondition> EnableWhen { get; init; } = [];

    /// <summary>all (default) or any.</summary>
    public string? EnableBehavior { get; init; }
}

/// <summary>An allowed answer.</summary>
/// <param name="Code">The code (for codings) or the value as text.</param>
/// <param name="Display">Its display.</param>
/// <param name="System">The code system, for codings.</param>
public sealed record AnswerOption(string Code, string? Display, string? System);

/// <summary>An enableWhen condition.</summary>
/// <param name="Question">The linkId it depends on.</param>
/// <param name="Operator">exists, =, !=, &gt;, &lt;, &gt;=, &lt;=.</param>
/// <param name="Answer">The compared value as text.</param>
public sealed record EnableCondition(string Question, string Operator, string? Answer);
