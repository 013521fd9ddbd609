using System.Globalization;
using System.Text.Json;

namespace FhirGateway.Mcp.Fhir;

/// <summary>
/// One compact line per resource with the fields an agent needs to pick what to read next:
/// <c>Type/id | key fields…</c>. Types without their own shape get a generic line (status, code, date).
/// </summary>
internal static class ResourceLine
{
    public static string Of(JsonElement resource)
    {
        var type = JsonRead.Text(resource, "resourceType") ?? "?";
        var fields = type switch
        {
            "Patient" => [Name(resource), JsonRead.Text(resource, "gender"), Born(resource)],
            "Observation" => [JsonRead.CodeText(resource, "code"), ObservationValue(resource), Effective(resource), JsonRead.Text(resource, "status"), JsonRead.CodeText(resource, "interpretation")],
            "Condition" => [JsonRead.CodeText(resource, "code"), JsonRead.CodeText(resource, "clinicalStatus"), JsonRead.CodeText(resource, "verificationStatus"), Onset(resource)],
            "MedicationRequest" => [JsonRead.CodeText(resource, "medicationCodeableConcept") ?? JsonRead.ReferenceText(resource, "medicationReference"),
                JsonRead.Text(resource, "status"), JsonRead.Text(resource, "intent"), JsonRead.Text(resource, "authoredOn"), Dosage(resource)],
            "Encounter" => [JsonRead.CodeText(resource, "class"), JsonRead.CodeText(resource, "type"), JsonRead.Text(resource, "status"), Period(resource, "period"), JsonRead.CodeText(resource, "reasonCode")],
            "AllergyIntolerance" => [JsonRead.CodeText(resource, "code"), JsonRead.CodeText(resource, "clinicalStatus"), JsonRead.Text(resource, "criticality")],
            "Immunization" => [JsonRead.CodeText(resource, "vaccineCode"), JsonRead.Text(resource, "status"), JsonRead.Text(resource, "occurrenceDateTime")],
            "Procedure" => [JsonRead.CodeText(resource, "code"), JsonRead.Text(resource, "status"), JsonRead.Text(resource, "performedDateTime") ?? Period(resource, "performedPeriod")],
            "DiagnosticReport" => [JsonRead.CodeText(resource, "code"), JsonRead.Text(resource, "status"), Effective(resource), Count(resource, "result", "results")],
            "Coverage" => [JsonRead.CodeText(resource, "type"), JsonRead.Text(resource, "status"), JsonRead.Array(resource, "payor").Select(p => JsonRead.Text(p, "display") ?? JsonRead.Text(p, "reference")).FirstOrDefault(), Period(resource, "period")],
            "OperationOutcome" => [OutcomeText.Of(resource)],
            _ => Generic(resource),
        };
        return string.Join(" | ", fields.Where(f => !string.IsNullOrEmpty(f)).Prepend($"{type}/{JsonRead.Text(resource, "id") ?? "?"}"));
    }

    private static string?[] Generic(JsonElement r) =>
    [
        JsonRead.Text(r, "status"),
        JsonRead.CodeText(r, "code") ?? JsonRead.CodeText(r, "type") ?? JsonRead.Text(r, "name") ?? JsonRead.Text(r, "title"),
        JsonRead.Text(r, "date") ?? JsonRead.Text(r, "created") ?? JsonRead.Text(r, "authoredOn") ?? Effective(r),
        JsonRead.Object(r, "meta") is { } meta && JsonRead.Text(meta, "lastUpdated") is { } updated ? $"updated {updated}" : null,
    ];

    private static string? Name(JsonElement patient)
    {
        var name = JsonRead.Array(patient, "name").FirstOrDefault();
        if (name.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return JsonRead.Text(name, "text")
            ?? string.Join(' ', JsonRead.Array(name, "given").Select(g => g.GetString()).Append(JsonRead.Text(name, "family")).Where(p => !string.IsNullOrEmpty(p)));
    }

    private static string? Born(JsonElement patient) => JsonRead.Text(patient, "birthDate") is { } born ? $"born {born}" : null;

    private static string? Effective(JsonElement r) =>
        JsonRead.Text(r, "effectiveDateTime") ?? JsonRead.Text(r, "effectiveInstant") ?? Period(r, "effectivePeriod") ?? JsonRead.Text(r, "issued");

    private static string? Onset(JsonElement r) =>
        JsonRead.Text(r, "onsetDateTime") is { } onset ? $"onset {onset}" : JsonRead.Text(r, "recordedDate") is { } recorded ? $"recorded {recorded}" : null;

    private static string? Period(JsonElement r, string name) =>
        JsonRead.Object(r, name) is { } period ? $"{JsonRead.Text(period, "start")}–{JsonRead.Text(period, "end")}".Trim('–') : null;

    private static string? Dosage(JsonElement r) => JsonRead.Array(r, "dosageInstruction").Select(d => JsonRead.Text(d, "text")).FirstOrDefault(t => t is not null);

    private static string? Count(JsonElement r, string name, string noun) =>
        JsonRead.Array(r, name).Count() is var n and > 0 ? $"{n.ToString(CultureInfo.InvariantCulture)} {noun}" : null;

    private static string? ObservationValue(JsonElement r)
    {
        if (JsonRead.Object(r, "valueQuantity") is { } quantity)
        {
            var value = quantity.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetRawText() : null;
            return $"{JsonRead.Text(quantity, "comparator")}{value} {JsonRead.Text(quantity, "unit") ?? JsonRead.Text(quantity, "code")}".Trim();
        }

        if (JsonRead.CodeText(r, "valueCodeableConcept") is { } coded)
        {
            return coded;
        }

        foreach (var name in (string[])["valueString", "valueDateTime", "valueBoolean", "valueInteger"])
        {
            if (r.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
            {
                return value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
            }
        }

        var components = JsonRead.Array(r, "component").Select(c => $"{JsonRead.CodeText(c, "code")} {ObservationValue(c)}".Trim()).ToList();
        return components.Count > 0 ? string.Join("; ", components) : JsonRead.CodeText(r, "dataAbsentReason") is { } absent ? $"no value: {absent}" : null;
    }
}
