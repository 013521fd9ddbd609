using System.Text;
using FhirGateway.Core.Coverage;

namespace FhirGateway.Mcp.Tools;

/// <summary>Coverage answers as text for a model: the payer's words first, then one <c>name: value</c> line per key field.</summary>
internal static class CoverageText
{
    public static string Of(PriorAuthCheck check)
    {
        var text = new StringBuilder();
        text.AppendLine(check.Summary).AppendLine();
        Line(text, "decision", check.Decision);
        Line(text, "payer", check.Payer);
        Line(text, "code", $"{check.Code.System}|{check.Code.Code}");
        Line(text, "patient_id", check.PatientId);
        Line(text, "service", $"{check.Service} ({check.Hook}, {check.OrderType})");
        if (check.CoverageFound == false)
        {
            Line(text, "coverage_found", "false");
        }

        foreach (var info in check.CoverageInformation)
        {
            Line(text, "covered", info.Covered);
            Line(text, "pa_needed", info.PaNeeded);
            Line(text, "doc_needed", Join(info.DocNeeded));
            Line(text, "doc_purpose", Join(info.DocPurpose));
            Line(text, "info_needed", Join(info.InfoNeeded));
            Line(text, "coverage", info.Coverage);
            Line(text, "coverage_assertion_id", info.CoverageAssertionId);
            Line(text, "satisfied_pa_id", info.SatisfiedPaId);
        }

        Line(text, "questionnaires", Join(check.Questionnaires));
        foreach (var link in check.Links)
        {
            Line(text, "link", $"{link.Label} <{link.Url}>");
        }

        foreach (var card in check.Cards)
        {
            Line(text, "card", $"[{card.Indicator}] {card.Summary} (uuid {card.Uuid})");
        }

        return text.ToString();
    }

    public static string Of(PolicyRules rules)
    {
        var text = new StringBuilder();
        text.AppendLine(rules.Summary).AppendLine();
        Line(text, "published", rules.Published ? "true" : "false");
        Line(text, "payer", rules.Payer);
        foreach (var link in rules.Links)
        {
            Line(text, "link", $"{link.Label} <{link.Url}>");
        }

        Line(text, "questionnaires", Join(rules.Questionnaires));
        foreach (var reason in rules.Reasons)
        {
            Line(text, "reason", reason);
        }

        return text.ToString();
    }

    public static string Of(QuestionnairePackage package)
    {
        var text = new StringBuilder();
        text.Append("DTR package from ").Append(package.PlatformId).Append(": ").Append(package.Questionnaires.Count).AppendLine(" questionnaire(s).").AppendLine();
        foreach (var questionnaire in package.Questionnaires)
        {
            Line(text, "questionnaire", questionnaire.Canonical);
            Line(text, "required_items", Join([.. questionnaire.Items.Where(i => i.Required && i.Type is not ("group" or "display")).Select(i => i.LinkId)]));
            text.AppendLine().AppendLine(questionnaire.Markdown);
        }

        Line(text, "value_sets", Join(package.ValueSets));
        Line(text, "libraries", Join(package.Libraries));
        return text.ToString();
    }

    public static string Of(PriorAuthDecision decision)
    {
        var text = new StringBuilder();
        text.AppendLine(decision.Summary).AppendLine();
        Line(text, "status", decision.Status);
        Line(text, "claim_identifier", decision.ClaimIdentifier);
        Line(text, "outcome", decision.Outcome);
        Line(text, "pre_auth_ref", decision.PreAuthRef);
        if (decision.PreAuthPeriod is { } period)
        {
            Line(text, "pre_auth_period", $"{period.Start} to {period.End}");
        }

        foreach (var item in decision.Items)
        {
            Line(text, "item", $"{item.ItemSequence}: {item.ReviewActionCode} {item.ReviewAction}{(item.AuthorizationNumber is null ? "" : $", number {item.AuthorizationNumber}")}" +
                (item.Reasons.Count > 0 ? $" — {string.Join(" ", item.Reasons)}" : ""));
        }

        foreach (var note in decision.Notes)
        {
            Line(text, "note", note);
        }

        foreach (var error in decision.Errors)
        {
            Line(text, "error", error);
        }

        return text.ToString();
    }

    private static string? Join(IReadOnlyList<string> values) => values.Count == 0 ? null : string.Join(", ", values);

    private static void Line(StringBuilder text, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            text.Append(name).Append(": ").AppendLine(value);
        }
    }
}
