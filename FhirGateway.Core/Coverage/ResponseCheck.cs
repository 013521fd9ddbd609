using System.Text.Json.Nodes;

namespace FhirGateway.Core.Coverage;

/// <summary>Finds the required items of a Questionnaire that are enabled and unanswered in a QuestionnaireResponse.</summary>
internal static class ResponseCheck
{
    /// <summary>Every answer of a response by linkId, from items nested under items and under answers.</summary>
    public static ILookup<string, JsonObject> Answers(JsonObject response)
    {
        var all = new List<(string LinkId, JsonObject Answer)>();
        void Collect(IEnumerable<JsonObject> items)
        {
            foreach (var item in items)
            {
                var linkId = Json.Text(item, "linkId") ?? "";
                foreach (var answer in Json.Objects(item, "answer"))
                {
                    all.Add((linkId, answer));
                    Collect(Json.Objects(answer, "item"));
                }

                Collect(Json.Objects(item, "item"));
            }
        }

        Collect(Json.Objects(response, "item"));
        return all.ToLookup(a => a.LinkId, a => a.Answer, StringComparer.Ordinal);
    }

    public static IReadOnlyList<MissingItem> Missing(JsonObject questionnaire, JsonObject response)
    {
        var answers = Answers(response);
        var missing = new List<MissingItem>();
        Walk(Json.Objects(questionnaire, "item"), answers, missing);
        return missing;
    }

    /// <summary>True when some answer was given under the item (itself or a descendant).</summary>
    private static bool Walk(IEnumerable<JsonObject> items, ILookup<string, JsonObject> answers, List<MissingItem> missing)
    {
        var anyAnswered = false;
        foreach (var item in items)
        {
            if (!EnableWhen.IsEnabled(item, answers))
            {
                continue; // a disabled item and its children are not asked (R4: not shown, not required)
            }

            var linkId = Json.Text(item, "linkId") ?? "";
            var type = Json.Text(item, "type");
            var required = item["required"]?.GetValueKind() == System.Text.Json.JsonValueKind.True;
            var answered = type is not ("group" or "display") && answers[linkId].Any(EnableWhen.HasValue);
            var before = missing.Count;
            var childrenAnswered = Walk(Json.Objects(item, "item"), answers, missing);
            // A required group needs some answer inside it; its own required items, when missing, already say so.
            if (required && !answered && (type != "group" || (!childrenAnswered && missing.Count == before)))
            {
                missing.Insert(before, new MissingItem(linkId, Json.Text(item, "text")));
            }

            anyAnswered |= answered || childrenAnswered;
        }

        return anyAnswered;
    }
}
