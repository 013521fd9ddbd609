using System.Text.Json;

namespace FhirGateway.Mcp.Fhir;

/// <summary>Reading FHIR JSON leniently: a missing or mistyped element is null, never an exception.</summary>
internal static class JsonRead
{
    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static JsonElement? Object(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    public static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : [];

    /// <summary>A CodeableConcept or Coding in words: its text (else the first coding's display) and the first code.</summary>
    public static string? CodeText(JsonElement concept)
    {
        var coding = concept.ValueKind == JsonValueKind.Object && concept.TryGetProperty("coding", out _)
            ? Array(concept, "coding").FirstOrDefault()
            : concept;
        var code = coding.ValueKind == JsonValueKind.Object ? Text(coding, "code") : null;
        var words = Text(concept, "text") ?? (coding.ValueKind == JsonValueKind.Object ? Text(coding, "display") : null);
        return words is null ? code : code is null || words == code ? words : $"{words} ({code})";
    }

    public static string? CodeText(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(CodeText).FirstOrDefault(t => t is not null) : CodeText(value)
            : null;

    /// <summary>A Reference in words: its display, else its reference.</summary>
    public static string? ReferenceText(JsonElement element, string name) =>
        Object(element, name) is { } reference ? Text(reference, "display") ?? Text(reference, "reference") : null;
}
