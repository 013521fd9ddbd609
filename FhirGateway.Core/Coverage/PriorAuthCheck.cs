using System.Text.Json;

namespace FhirGateway.Core.Coverage;

/// <summary>
/// The payer's CRD answer for one order, read from its cards and the <c>coverage-information</c> extension of its
/// system actions (Da Vinci CRD). Every field comes from what the payer returned; <see cref="Decision"/> and
/// <see cref="Summary"/> restate it.
/// </summary>
public sealed record PriorAuthCheck
{
    /// <summary>The platform asked.</summary>
    public required string PlatformId { get; init; }

    /// <summary>The payer, as its cards name themselves (card source label), else the platform's name.</summary>
    public required string Payer { get; init; }

    /// <summary>The code checked.</summary>
    public required CoverageCode Code { get; init; }

    /// <summary>required, not-required, conditional, not-covered or unknown.</summary>
    public required string Decision { get; init; }

    /// <summary>One paragraph restating the payer's answer.</summary>
    public required string Summary { get; init; }

    /// <summary>False when the gateway found no active Coverage for the patient to send; null when the payer fetched it.</summary>
    public bool? CoverageFound { get; init; }

    /// <summary>The patient the order was for.</summary>
    public required string PatientId { get; init; }

    /// <summary>The draft order's resource type.</summary>
    public required string OrderType { get; init; }

    /// <summary>The CDS service called and its hook.</summary>
    public required string Service { get; init; }

    /// <summary>The hook called.</summary>
    public required string Hook { get; init; }

    /// <summary>Each <c>coverage-information</c> extension the payer attached to the order.</summary>
    public required IReadOnlyList<CoverageInformation> CoverageInformation { get; init; }

    /// <summary>The payer's cards.</summary>
    public required IReadOnlyList<CdsCard> Cards { get; init; }

    /// <summary>DTR questionnaire canonicals the payer named.</summary>
    public required IReadOnlyList<string> Questionnaires { get; init; }

    /// <summary>Links of the cards (policies, documentation).</summary>
    public required IReadOnlyList<CdsLink> Links { get; init; }
}

/// <summary>One <c>coverage-information</c> extension (Da Vinci CRD ext-coverage-information), as the payer sent it.</summary>
public sealed record CoverageInformation
{
    /// <summary>covered, not-covered or conditional.</summary>
    public string? Covered { get; init; }

    /// <summary>auth-needed, no-auth, satisfied, performpa, conditional (absent when not covered).</summary>
    public string? PaNeeded { get; init; }

    /// <summary>Documentation needed (clinical, admin, patient, ...).</summary>
    public IReadOnlyList<string> DocNeeded { get; init; } = [];

    /// <summary>When the documentation is needed (withpa, withorder, ...).</summary>
    public IReadOnlyList<string> DocPurpose { get; init; } = [];

    /// <summary>Information the payer needs to decide (performer, location, OTH, ...).</summary>
    public IReadOnlyList<string> InfoNeeded { get; init; } = [];

    /// <summary>The payer's reasons (CodeableConcept texts or codes).</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>DTR questionnaire canonicals.</summary>
    public IReadOnlyList<string> Questionnaires { get; init; } = [];

    /// <summary>The Coverage the information applies to.</summary>
    public string? Coverage { get; init; }

    /// <summary>When the payer made the assertion.</summary>
    public string? Date { get; init; }

    /// <summary>The payer's id for the assertion, to quote in the prior authorization request.</summary>
    public string? CoverageAssertionId { get; init; }

    /// <summary>The prior authorization that already covers the order, when <see cref="PaNeeded"/> is satisfied.</summary>
    public string? SatisfiedPaId { get; init; }

    /// <summary>The extension exactly as the payer sent it.</summary>
    public required JsonElement Raw { get; init; }
}

/// <summary>A CDS Hooks card, as the payer sent it.</summary>
public sealed record CdsCard
{
    /// <summary>The card's uuid.</summary>
    public string? Uuid { get; init; }

    /// <summary>One-line summary.</summary>
    public required string Summary { get; init; }

    /// <summary>Markdown detail.</summary>
    public string? Detail { get; init; }

    /// <summary>info, warning or critical.</summary>
    public string? Indicator { get; init; }

    /// <summary>The source's label.</summary>
    public string? Source { get; init; }

    /// <summary>The source's topic code (e.g. coverage-info).</summary>
    public string? Topic { get; init; }

    /// <summary>The card's links.</summary>
    public IReadOnlyList<CdsLink> Links { get; init; } = [];
}

/// <summary>A card link.</summary>
/// <param name="Label">What the link is.</param>
/// <param name="Url">Where it points.</param>
/// <param name="Type">absolute or smart.</param>
/// <param name="Card">The uuid of the card it came from.</param>
public sealed record CdsLink(string Label, string Url, string? Type, string? Card);
