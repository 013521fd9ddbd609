using System.Text.Json.Nodes;

namespace FhirGateway.Core.Coverage;

/// <summary>
/// Reads a CRD answer: the cards, and the <c>coverage-information</c> extensions of the resources in the system
/// actions (Da Vinci CRD, "Coverage Information" response type). The decision restates <c>covered</c> and
/// <c>pa-needed</c>; nothing is assumed when the payer said nothing.
/// </summary>
internal static class CrdAnswer
{
    /// <summary>The extension's canonical (CRD 2.x); older payers may add a version, so the URL is matched by its end.</summary>
    public const string CoverageInformationUrl = "http://hl7.org/fhir/us/davinci-crd/StructureDefinition/ext-coverage-information";

    public static IReadOnlyList<CdsCard> Cards(JsonObject answer) =>
        [.. Json.Objects(answer, "cards").Select(card => new CdsCard
        {
            Uuid = Json.Text(card, "uuid"),
            Summary = Json.Text(card, "summary") ?? "",
            Detail = Json.Text(card, "detail"),
            Indicator = Json.Text(card, "indicator"),
            Source = Json.Text(Json.Object(card, "source"), "label"),
            Topic = Json.Text(Json.Object(Json.Object(card, "source"), "topic"), "code"),
            Links = [.. Json.Objects(card, "links")
                .Where(l => Json.Text(l, "url") is not null)
                .Select(l => new CdsLink(Json.Text(l, "label") ?? Json.Text(l, "url")!, Json.Text(l, "url")!, Json.Text(l, "type"), Json.Text(card, "uuid")))],
        })];

    public static IReadOnlyList<CoverageInformation> CoverageInformation(JsonObject answer) =>
        [.. Json.Objects(answer, "systemActions")
            .Select(a => Json.Object(a, "resource"))
            .SelectMany(r => Json.Objects(r, "extension"))
            .Where(e => Json.Text(e, "url") is { } url && url.Split('|')[0].EndsWith("ext-coverage-information", StringComparison.Ordinal))
            .Select(Read)];

    private static CoverageInformation Read(JsonObject extension)
    {
        var parts = Json.Objects(extension, "extension").ToList();
        IEnumerable<JsonObject> All(string url) => parts.Where(p => Json.Text(p, "url") == url);
        List<string> Codes(string url) => [.. All(url).Select(p => Json.Text(p, "valueCode") ?? Json.ConceptText(Json.Object(p, "valueCodeableConcept"))).OfType<string>()];
        string? One(string url, string value) => All(url).Select(p => Json.Text(p, value)).FirstOrDefault(v => v is not null);
        return new CoverageInformation
        {
            Covered = Codes("covered").FirstOrDefault(),
            PaNeeded = Codes("pa-needed").FirstOrDefault(),
            DocNeeded = Codes("doc-needed"),
            DocPurpose = Codes("doc-purpose"),
            InfoNeeded = Codes("info-needed"),
            Reasons = [.. All("reason").Select(p => Json.ConceptText(Json.Object(p, "valueCodeableConcept")) ?? Json.Text(p, "valueString")).OfType<string>()],
            Questionnaires = [.. All("questionnaire").Select(p => Json.Text(p, "valueCanonical") ?? Json.Text(p, "valueUri")).OfType<string>()],
            Coverage = All("coverage").Select(p => Json.Text(Json.Object(p, "valueReference"), "reference")).FirstOrDefault(r => r is not null),
            Date = One("date", "valueDate") ?? One("date", "valueDateTime"),
            CoverageAssertionId = One("coverage-assertion-id", "valueString"),
            SatisfiedPaId = One("satisfied-pa-id", "valueString"),
            Raw = Json.Element(extension),
        };
    }

    /// <summary>required, not-required, conditional, not-covered or unknown, from one coverage-information.</summary>
    public static string Decision(CoverageInformation info) => (info.Covered, info.PaNeeded) switch
    {
        ("not-covered", _) => "not-covered",
        (_, "auth-needed" or "performpa") => "required",
        (_, "conditional") => "conditional",
        ("conditional", _) => "conditional",
        (_, "no-auth" or "satisfied") => "not-required",
        _ => "unknown",
    };

    /// <summary>One paragraph restating the payer's answer, quoting its codes, reasons and card summaries.</summary>
    public static string Summary(string payer, CoverageCode code, string decision, IReadOnlyList<CoverageInformation> infos, IReadOnlyList<CdsCard> cards, bool? coverageFound)
    {
        var said = cards.Count == 0 ? "" : $" The payer said: {string.Join(" | ", cards.Select(c => c.Summary))}.";
        if (infos.Count == 0)
        {
            return coverageFound == false
                ? $"No active coverage found for this patient at {payer}: no coverage requirements could be determined for {code}.{said}"
                : $"{payer} returned no coverage information for {code}; prior authorization requirements are unknown.{said}";
        }

        var info = infos[0];
        var head = decision switch
        {
            "required" => $"Prior authorization is required by {payer} for {code}",
            "not-required" when info.PaNeeded == "satisfied" => $"Prior authorization for {code} is already on file with {payer} ({info.SatisfiedPaId ?? "id not given"})",
            "not-required" => $"No prior authorization is needed by {payer} for {code}",
            "conditional" => $"Prior authorization may be required by {payer} for {code}, depending on further information",
            "not-covered" => $"{code} is not covered by {payer}",
            _ => $"{payer} did not say whether {code} needs prior authorization",
        };
        var facts = new List<string> { $"covered: {info.Covered ?? "not given"}", $"pa-needed: {info.PaNeeded ?? "not given"}" };
        if (info.DocNeeded.Count > 0)
        {
            facts.Add($"doc-needed: {string.Join(", ", info.DocNeeded)}{(info.DocPurpose.Count > 0 ? $" ({string.Join(", ", info.DocPurpose)})" : "")}");
        }

        if (info.InfoNeeded.Count > 0)
        {
            facts.Add($"info-needed: {string.Join(", ", info.InfoNeeded)}");
        }

        var text = $"{head} ({string.Join("; ", facts)}).";
        if (info.Reasons.Count > 0)
        {
            text += $" Reason: {string.Join(" ", info.Reasons)}";
        }

        if (info.Questionnaires.Count > 0)
        {
            text += $" Documentation questionnaires (DTR): {string.Join(", ", info.Questionnaires)}.";
        }

        return infos.Count > 1 ? $"{text} ({infos.Count} coverage-information entries; the first is summarized.)" : text;
    }
}
