using System.Text;
using System.Text.Json.Nodes;

namespace FhirGateway.Core.Coverage;

/// <summary>Turns a FHIR R4 Questionnaire into a flat item list and Markdown, options resolved from the package's ValueSets.</summary>
internal static class QuestionnaireReader
{
    public static string Canonical(JsonObject questionnaire) =>
        Json.Text(questionnaire, "version") is { } version ? $"{Json.Text(questionnaire, "url")}|{version}" : Json.Text(questionnaire, "url") ?? $"Questionnaire/{Json.Text(questionnaire, "id")}";

    public static QuestionnaireView Read(JsonObject questionnaire, IReadOnlyDictionary<string, JsonObject> valueSets)
    {
        var items = new List<QuestionnaireItemView>();
        Walk(Json.Objects(questionnaire, "item"), 0, null, valueSets, items);
        var canonical = Canonical(questionnaire);
        var title = Json.Text(questionnaire, "title") ?? Json.Text(questionnaire, "name");
        return new QuestionnaireView
        {
            Canonical = canonical,
            Title = title,
            Items = items,
            Markdown = Markdown(title ?? canonical, canonical, items),
            Resource = Json.Element(questionnaire),
        };
    }

    private static void Walk(IEnumerable<JsonObject> items, int level, string? parent, IReadOnlyDictionary<string, JsonObject> valueSets, List<QuestionnaireItemView> into)
    {
        foreach (var item in items)
        {
            var linkId = Json.Text(item, "linkId") ?? "";
            var valueSet = Json.Text(item, "answerValueSet");
            into.Add(new QuestionnaireItemView
            {
                LinkId = linkId,
                Text = Json.Text(item, "text"),
                Type = Json.Text(item, "type") ?? "string",
                Required = item["required"]?.GetValueKind() == System.Text.Json.JsonValueKind.True,
                Repeats = item["repeats"]?.GetValueKind() == System.Text.Json.JsonValueKind.True,
                Level = level,
                Parent = parent,
                Options = Options(item, valueSet, valueSets),
                AnswerValueSet = valueSet,
                EnableWhen = [.. Json.Objects(item, "enableWhen").Select(c => new EnableCondition(
                    Json.Text(c, "question") ?? "", Json.Text(c, "operator") ?? "", EnableWhen.AnswerText(c)))],
                EnableBehavior = Json.Text(item, "enableBehavior"),
            });
            Walk(Json.Objects(item, "item"), level + 1, linkId, valueSets, into);
        }
    }

    /// <summary>answerOption values, else the expansion (or the first include's concepts) of the answer ValueSet.</summary>
    public static IReadOnlyList<AnswerOption> Options(JsonObject item, string? valueSet, IReadOnlyDictionary<string, JsonObject> valueSets)
    {
        var options = Json.Objects(item, "answerOption").Select(o =>
        {
            if (Json.Object(o, "valueCoding") is { } coding)
            {
                return new AnswerOption(Json.Text(coding, "code") ?? "", Json.Text(coding, "display"), Json.Text(coding, "system"));
            }

            var value = o.Where(p => p.Key.StartsWith("value", StringComparison.Ordinal)).Select(p => Json.Scalar(p.Value)).FirstOrDefault(v => v is not null);
            return value is null ? null : new AnswerOption(value, null, null);
        }).OfType<AnswerOption>().ToList();
        if (options.Count > 0 || valueSet is null || !valueSets.TryGetValue(valueSet.Split('|')[0], out var set))
        {
            return options;
        }

        var contains = Json.Objects(Json.Object(set, "expansion"), "contains").ToList();
        if (contains.Count > 0)
        {
            return [.. contains.Select(c => new AnswerOption(Json.Text(c, "code") ?? "", Json.Text(c, "display"), Json.Text(c, "system")))];
        }

        return [.. Json.Objects(Json.Object(set, "compose"), "include").SelectMany(i =>
            Json.Objects(i, "concept").Select(c => new AnswerOption(Json.Text(c, "code") ?? "", Json.Text(c, "display"), Json.Text(i, "system"))))];
    }

    private static string Markdown(string title, string canonical, IReadOnlyList<QuestionnaireItemView> items)
    {
        var md = new StringBuilder();
        md.Append("# ").AppendLine(title).AppendLine().Append("Questionnaire `").Append(canonical).AppendLine("`. Answer by linkId; * marks a required item.").AppendLine();
        foreach (var item in items)
        {
            var indent = new string(' ', item.Level * 2);
            if (item.Type == "group")
            {
                md.Append(indent).Append("- **").Append(item.Text ?? item.LinkId).Append("** (`").Append(item.LinkId).Append("`)");
            }
            else if (item.Type == "display")
            {
                md.Append(indent).Append("- _").Append(item.Text).Append('_');
            }
            else
            {
                md.Append(indent).Append("- `").Append(item.LinkId).Append('`').Append(item.Required ? "*" : "").Append(' ').Append(item.Text)
                    .Append(" [").Append(item.Type).Append(item.Repeats ? ", several" : "").Append(']');
                if (item.Options.Count > 0)
                {
                    md.Append(" options: ").Append(string.Join(", ", item.Options.Select(o => o.Display is null ? $"`{o.Code}`" : $"`{o.Code}` ({o.Display})")));
                }
            }

            if (item.EnableWhen.Count > 0)
            {
                var join = item.EnableBehavior == "any" ? " or " : " and ";
                md.Append(" — only when ").Append(string.Join(join, item.EnableWhen.Select(c => c.Operator == "exists"
                    ? $"`{c.Question}` {(c.Answer == "false" ? "is unanswered" : "is answered")}"
                    : $"`{c.Question}` {c.Operator} {c.Answer}")));
            }

            md.AppendLine();
        }

        return md.ToString();
    }
}
