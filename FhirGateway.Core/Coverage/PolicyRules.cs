namespace FhirGateway.Core.Coverage;

/// <summary>
/// What a payer publishes about its coverage policy for a code, as its CRD service answers for the patient's
/// coverage: the cards' links, the documentation (DTR questionnaires) it names and its reasons.
/// </summary>
public sealed record PolicyRules
{
    /// <summary>The platform asked.</summary>
    public required string PlatformId { get; init; }

    /// <summary>The payer, as its cards name themselves.</summary>
    public required string Payer { get; init; }

    /// <summary>The code asked about.</summary>
    public required CoverageCode Code { get; init; }

    /// <summary>Whether the payer published anything: a link or a documentation reference.</summary>
    public required bool Published { get; init; }

    /// <summary>One paragraph saying what the payer published, or plainly that it published nothing.</summary>
    public required string Summary { get; init; }

    /// <summary>Policy and documentation links from the payer's cards.</summary>
    public required IReadOnlyList<CdsLink> Links { get; init; }

    /// <summary>DTR questionnaire canonicals the payer names for the code.</summary>
    public required IReadOnlyList<string> Questionnaires { get; init; }

    /// <summary>The payer's reasons (coverage-information <c>reason</c>).</summary>
    public required IReadOnlyList<string> Reasons { get; init; }

    /// <summary>The CRD answer the rules were read from.</summary>
    public required PriorAuthCheck Source { get; init; }

    internal static PolicyRules From(PriorAuthCheck check)
    {
        var reasons = check.CoverageInformation.SelectMany(i => i.Reasons).Distinct(StringComparer.Ordinal).ToList();
        var published = check.Links.Count > 0 || check.Questionnaires.Count > 0;
        var summary = published
            ? $"{check.Payer} publishes for {check.Code}: {check.Links.Count} policy link(s)" +
              (check.Links.Count > 0 ? $" ({string.Join("; ", check.Links.Select(l => $"{l.Label}: {l.Url}"))})" : "") +
              $" and {check.Questionnaires.Count} documentation questionnaire(s)" +
              (check.Questionnaires.Count > 0 ? $" ({string.Join(", ", check.Questionnaires)})" : "") + "."
            : $"{check.Payer} publishes no policy document, link or documentation template for {check.Code} through its CRD service " +
              $"({check.Cards.Count} card(s), none with a link). Library and PlanDefinition resources were not searched.";
        return new PolicyRules
        {
            PlatformId = check.PlatformId,
            Payer = check.Payer,
            Code = check.Code,
            Published = published,
            Summary = summary,
            Links = check.Links,
            Questionnaires = check.Questionnaires,
            Reasons = reasons,
            Source = check,
        };
    }
}
