using System.Globalization;
using System.Text.Json.Nodes;

namespace FhirGateway.Core.Coverage;

/// <summary>
/// The draft order a CRD check and a DTR package ask about, built from the code, its system and the patient
/// (Da Vinci CRD: ServiceRequest for procedures, MedicationRequest for drugs, DeviceRequest for equipment).
/// </summary>
internal static class DraftOrder
{
    public const string ServiceRequest = "ServiceRequest";
    public const string MedicationRequest = "MedicationRequest";
    public const string DeviceRequest = "DeviceRequest";

    private static readonly string[] Types = [ServiceRequest, MedicationRequest, DeviceRequest];

    /// <summary>The order type asked for, else the one the code system implies.</summary>
    public static string TypeFor(CoverageCode code, string? orderType)
    {
        if (code.SystemName == "icd10cm")
        {
            throw new InvalidCoverageCodeException(
                "ICD-10-CM codes are diagnoses, not orders: give the ordered service's code (CPT, HCPCS, SNOMED CT, LOINC or RxNorm) and the diagnosis in diagnosis_codes.");
        }

        if (!string.IsNullOrWhiteSpace(orderType))
        {
            return Types.FirstOrDefault(t => string.Equals(t, orderType.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw new CoverageRequestException($"order_type must be one of {string.Join(", ", Types)}.");
        }

        return code.SystemName switch
        {
            "rxnorm" => MedicationRequest,
            // HCPCS Level II E (durable medical equipment), K (DME MAC) and L (orthotics, prosthetics) codes are devices.
            "hcpcs" when code.Code[0] is 'E' or 'K' or 'L' => DeviceRequest,
            _ => ServiceRequest,
        };
    }

    /// <summary>A draft order for <paramref name="patientId"/>; <paramref name="coverageId"/> becomes its insurance when known.</summary>
    public static JsonObject Build(string type, string id, CoverageCode code, string patientId, string? coverageId, IReadOnlyList<CoverageCode> diagnoses)
    {
        var concept = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = code.System, ["code"] = code.Code }) };
        var order = new JsonObject
        {
            ["resourceType"] = type,
            ["id"] = id,
            ["status"] = "draft",
            ["intent"] = "order",
        };
        order[type switch { MedicationRequest => "medicationCodeableConcept", DeviceRequest => "codeCodeableConcept", _ => "code" }] = concept;
        order["subject"] = new JsonObject { ["reference"] = $"Patient/{patientId}" };
        order["authoredOn"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        if (diagnoses.Count > 0)
        {
            order["reasonCode"] = new JsonArray([.. diagnoses.Select(d => (JsonNode)new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject { ["system"] = d.System, ["code"] = d.Code }),
            })]);
        }

        if (coverageId is not null)
        {
            order["insurance"] = new JsonArray(new JsonObject { ["reference"] = $"Coverage/{coverageId}" });
        }

        return order;
    }

    /// <summary>Parses diagnosis codes (ICD-10-CM, or <c>system|code</c> for another system).</summary>
    public static IReadOnlyList<CoverageCode> Diagnoses(IEnumerable<string>? codes) =>
        [.. (codes ?? []).SelectMany(c => c.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(c => c.Split('|') is [var system, var value] ? CoverageCodes.Parse(system, value) : CoverageCodes.Parse("icd10cm", c))];
}
