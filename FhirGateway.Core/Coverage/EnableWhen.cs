using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FhirGateway.Core.Coverage;

/// <summary>
/// Evaluates Questionnaire <c>enableWhen</c> against the answers given (FHIR R4 questionnaire.html, Questionnaire.item.enableWhen):
/// <c>exists</c> compares answeredness; <c>!=</c> holds when no answer equals the value (so also with no answer);
/// the other operators need an answer that satisfies them; <c>enableBehavior</c> any/all combines the conditions.
/// </summary>
internal static class EnableWhen
{
    /// <summary>The condition's answer[x] as text.</summary>
    public static string? AnswerText(JsonObject condition)
    {
        var (key, value) = condition.FirstOrDefault(p => p.Key.StartsWith("answer", StringComparison.Ordinal));
        if (key is null)
        {
            return null;
        }

        return value is JsonObject coding && key == "answerCoding"
            ? Json.Text(coding, "code")
            : value is JsonObject quantity ? Json.Scalar(quantity["value"]) : Json.Scalar(value);
    }

    public static bool IsEnabled(JsonObject item, ILookup<string, JsonObject> answers)
    {
        var conditions = Json.Objects(item, "enableWhen").ToList();
        if (conditions.Count == 0)
        {
            return true;
        }

        var results = conditions.Select(c => Holds(c, [.. answers[Json.Text(c, "question") ?? ""].Where(HasValue)]));
        return Json.Text(item, "enableBehavior") == "any" ? results.Any(r => r) : results.All(r => r);
    }

    /// <summary>Whether an answer carries a value[x] (an empty string counts as none).</summary>
    public static bool HasValue(JsonObject answer) =>
        answer.Any(p => p.Key.StartsWith("value", StringComparison.Ordinal) && p.Value is not null && Json.Scalar(p.Value) != "");

    private static bool Holds(JsonObject condition, IReadOnlyList<JsonObject> given)
    {
        var op = Json.Text(condition, "operator");
        var (key, expected) = condition.FirstOrDefault(p => p.Key.StartsWith("answer", StringComparison.Ordinal));
        if (op == "exists")
        {
            return (expected?.GetValueKind() == JsonValueKind.True) == given.Count > 0;
        }

        if (key is null || expected is null)
        {
            return false;
        }

        var valueKey = "value" + key["answer".Length..];
        var compared = given.Select(a => Compare(a[valueKey], expected, key)).ToList();
        return op switch
        {
            "=" => compared.Any(c => c == 0),
            "!=" => compared.All(c => c != 0),
            ">" => compared.Any(c => c is > 0),
            "<" => compared.Any(c => c is < 0),
            ">=" => compared.Any(c => c is >= 0),
            "<=" => compared.Any(c => c is <= 0),
            _ => false,
        };
    }

    /// <summary>Compares an answer value with the condition's value: 0 equal, null when not comparable (other type, or unordered and different).</summary>
    private static int? Compare(JsonNode? actual, JsonNode expected, string key)
    {
        if (actual is null)
        {
            return null;
        }

        switch (key)
        {
            case "answerCoding":
                var system = Json.Text(expected, "system");
                var same = Json.Text(actual, "code") == Json.Text(expected, "code") && (system is null || Json.Text(actual, "system") == system);
                return same ? 0 : null;
            case "answerQuantity":
                return Number(actual["value"]) is { } q && Number(expected["value"]) is { } e ? q.CompareTo(e) : null;
            case "answerReference":
                return Json.Text(actual, "reference") == Json.Text(expected, "reference") ? 0 : null;
            case "answerBoolean":
                return actual.GetValueKind() == expected.GetValueKind() ? 0 : null;
            case "answerDecimal" or "answerInteger":
                return Number(actual) is { } a && Number(expected) is { } b ? a.CompareTo(b) : null;
            default:
                // date, dateTime, time and string: ISO 8601 values of one precision order as text.
                return Json.Scalar(actual) is { } x && Json.Scalar(expected) is { } y ? Math.Sign(string.CompareOrdinal(x, y)) : null;
        }
    }

    private static decimal? Number(JsonNode? node) =>
        Json.Scalar(node) is { } text && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
