using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FhirGateway.Core.Coverage;

/// <summary>Small readers over FHIR and CDS Hooks JSON, tolerant of what a payer leaves out.</summary>
internal static class Json
{
    public static string? Text(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static JsonObject? Object(JsonNode? node, string name) => node is JsonObject o ? o[name] as JsonObject : null;

    public static IEnumerable<JsonObject> Objects(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonArray a ? a.OfType<JsonObject>() : [];

    /// <summary>The resources of a Bundle's entries.</summary>
    public static IEnumerable<JsonObject> Resources(JsonNode? bundle) =>
        Objects(bundle, "entry").Select(e => Object(e, "resource")).OfType<JsonObject>();

    /// <summary>The scalar of a JSON value as text (string, number or boolean); null for objects and arrays.</summary>
    public static string? Scalar(JsonNode? node) => node is JsonValue v
        ? v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => v.ToJsonString(),
            _ => null,
        }
        : null;

    /// <summary>A CodeableConcept's text, else its codings' displays or codes.</summary>
    public static string? ConceptText(JsonNode? concept)
    {
        if (Text(concept, "text") is { Length: > 0 } text)
        {
            return text;
        }

        var codings = Objects(concept, "coding").Select(c => Text(c, "display") ?? Text(c, "code")).OfType<string>().ToList();
        return codings.Count == 0 ? null : string.Join(", ", codings);
    }

    /// <summary>The first coding's code of a CodeableConcept.</summary>
    public static string? FirstCode(JsonNode? concept) => Objects(concept, "coding").Select(c => Text(c, "code")).FirstOrDefault(c => c is not null);

    /// <summary>An OperationOutcome's issue texts (details.text, else diagnostics), joined.</summary>
    public static string? OutcomeText(JsonNode? outcome)
    {
        if (Text(outcome, "resourceType") != "OperationOutcome")
        {
            return null;
        }

        var texts = Objects(outcome, "issue").Select(i => Text(Object(i, "details"), "text") ?? Text(i, "diagnostics")).OfType<string>().ToList();
        return texts.Count == 0 ? null : string.Join(" ", texts);
    }

    /// <summary>The first issue's code of an OperationOutcome.</summary>
    public static string? IssueCode(JsonNode? outcome) => Objects(outcome, "issue").Select(i => Text(i, "code")).FirstOrDefault(c => c is not null);

    /// <summary>A copy of a node as a <see cref="JsonElement"/>, for answers that quote the payer.</summary>
    public static JsonElement Element(JsonNode node) => JsonSerializer.SerializeToElement(node, CoverageJsonContext.Default.JsonNode);

    public static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
