using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FhirGateway.Core.Coverage;

/// <summary>
/// Builds a QuestionnaireResponse from a <c>{linkId: answer}</c> map, following the Questionnaire's structure and
/// item types: a boolean item takes true/false (or yes/no), numbers take numbers, a choice takes an option's code
/// or display, a FHIR answer object (<c>{"valueCoding": …}</c>) is taken as is; an array gives several answers.
/// </summary>
internal static class AnswerMap
{
    public static JsonObject ToResponse(JsonObject questionnaire, JsonObject answers, string? patientId, IReadOnlyDictionary<string, JsonObject> valueSets, List<string> problems)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var items = Items(Json.Objects(questionnaire, "item"), answers, valueSets, used, problems);
        problems.AddRange(answers.Select(a => a.Key).Where(k => !used.Contains(k)).Select(k => $"'{k}': no item with this linkId in the questionnaire."));
        var response = new JsonObject
        {
            ["resourceType"] = "QuestionnaireResponse",
            ["id"] = $"qr-{Guid.NewGuid():N}",
            ["questionnaire"] = QuestionnaireReader.Canonical(questionnaire),
            ["status"] = "completed",
        };
        if (patientId is not null)
        {
            response["subject"] = new JsonObject { ["reference"] = $"Patient/{patientId}" };
        }

        response["authored"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        response["item"] = items;
        return response;
    }

    private static JsonArray Items(IEnumerable<JsonObject> items, JsonObject answers, IReadOnlyDictionary<string, JsonObject> valueSets, HashSet<string> used, List<string> problems)
    {
        var result = new JsonArray();
        foreach (var item in items)
        {
            var linkId = Json.Text(item, "linkId") ?? "";
            var children = Items(Json.Objects(item, "item"), answers, valueSets, used, problems);
            var node = new JsonObject { ["linkId"] = linkId };
            if (Json.Text(item, "text") is { } text)
            {
                node["text"] = text;
            }

            if (answers.TryGetPropertyValue(linkId, out var given) && given is not null)
            {
                used.Add(linkId);
                var values = given is JsonArray many ? [.. many] : new List<JsonNode?> { given };
                var converted = values.Select(v => Answer(item, v, valueSets, problems)).OfType<JsonObject>().ToList();
                if (converted.Count > 0)
                {
                    node["answer"] = new JsonArray([.. converted]);
                }
            }

            if (children.Count > 0)
            {
                node["item"] = children;
            }

            if (node.ContainsKey("answer") || node.ContainsKey("item"))
            {
                result.Add(node);
            }
        }

        return result;
    }

    private static JsonObject? Answer(JsonObject item, JsonNode? value, IReadOnlyDictionary<string, JsonObject> valueSets, List<string> problems)
    {
        var linkId = Json.Text(item, "linkId");
        var type = Json.Text(item, "type") ?? "string";
        if (value is JsonObject raw && raw.Any(p => p.Key.StartsWith("value", StringComparison.Ordinal)))
        {
            return (JsonObject)raw.DeepClone();
        }

        var text = Json.Scalar(value);
        if (text is null)
        {
            problems.Add($"'{linkId}': give a {type} value.");
            return null;
        }

        JsonObject? Refuse(string expected)
        {
            problems.Add($"'{linkId}': '{text}' is not {expected}.");
            return null;
        }

        switch (type)
        {
            case "boolean":
                return text.ToLowerInvariant() switch
                {
                    "true" or "yes" or "y" => new JsonObject { ["valueBoolean"] = true },
                    "false" or "no" or "n" => new JsonObject { ["valueBoolean"] = false },
                    _ => Refuse("true or false"),
                };
            case "integer":
                return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? new JsonObject { ["valueInteger"] = i } : Refuse("a whole number");
            case "decimal":
                return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? new JsonObject { ["valueDecimal"] = d } : Refuse("a number");
            case "quantity":
                return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var q) ? new JsonObject { ["valueQuantity"] = new JsonObject { ["value"] = q } } : Refuse("a number");
            case "date":
                return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? new JsonObject { ["valueDate"] = text } : Refuse("a date (YYYY-MM-DD)");
            case "dateTime":
                return new JsonObject { ["valueDateTime"] = text };
            case "time":
                return new JsonObject { ["valueTime"] = text };
            case "url":
                return new JsonObject { ["valueUri"] = text };
            case "choice" or "open-choice":
                var options = QuestionnaireReader.Options(item, Json.Text(item, "answerValueSet"), valueSets);
                var option = options.FirstOrDefault(o => string.Equals(o.Code, text, StringComparison.OrdinalIgnoreCase))
                    ?? options.FirstOrDefault(o => string.Equals(o.Display, text, StringComparison.OrdinalIgnoreCase));
                if (option is null)
                {
                    return type == "open-choice" || options.Count == 0 && value?.GetValueKind() == JsonValueKind.String
                        ? new JsonObject { ["valueString"] = text }
                        : Refuse($"one of the options ({string.Join(", ", options.Select(o => o.Code))})");
                }

                if (option.System is null && option.Display is null)
                {
                    return new JsonObject { ["valueString"] = option.Code };
                }

                var coding = new JsonObject();
                if (option.System is not null)
                {
                    coding["system"] = option.System;
                }

                coding["code"] = option.Code;
                if (option.Display is not null)
                {
                    coding["display"] = option.Display;
                }

                return new JsonObject { ["valueCoding"] = coding };
            default:
                return new JsonObject { ["valueString"] = text };
        }
    }
}
