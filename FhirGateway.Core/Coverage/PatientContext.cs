using System.Text.Json.Nodes;
using FhirGateway.Core.Auth;
using FhirGateway.Core.Errors;
using FhirGateway.Core.Fhir;
using FhirGateway.Core.Tokens;

namespace FhirGateway.Core.Coverage;

/// <summary>
/// The patient a coverage request is about and their Coverage, read through the user's connection: the patient
/// given, else the SMART launch context of the connection (<c>patient</c>, else a <c>Patient/…</c> fhirUser).
/// </summary>
internal sealed class PatientContext(PayerFhir fhir, ISmartAuthorization authorization)
{
    /// <summary>The patient id to use; 400 when none is given and the connection has none in context.</summary>
    public async Task<string> PatientIdAsync(OwnerKey? owner, string platformId, string? patientId, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(patientId))
        {
            return CheckId(patientId.Trim(), "patient_id");
        }

        if (owner is { } key)
        {
            var connection = await authorization.GetConnectionAsync(key, platformId, cancellationToken: cancellationToken);
            if (!string.IsNullOrEmpty(connection.Patient))
            {
                return connection.Patient;
            }

            if (connection.FhirUser?.Split('/') is [.., "Patient", var id] && FhirNames.IsId(id))
            {
                return id;
            }
        }

        throw new CoverageRequestException($"No patient in context of the connection to platform '{platformId}': give patient_id.");
    }

    public Task<JsonObject> PatientAsync(OwnerKey? owner, string platformId, string patientId, CancellationToken cancellationToken) =>
        fhir.ReadAsync(owner, platformId, "Patient", patientId, cancellationToken);

    /// <summary>
    /// The Coverage given by id, or the patient's active ones, as a searchset Bundle (the shape a
    /// <c>Coverage?patient=…</c> prefetch template yields) and as a list.
    /// </summary>
    public async Task<(JsonObject Bundle, IReadOnlyList<JsonObject> Coverages)> CoveragesAsync(
        OwnerKey? owner, string platformId, string patientId, string? coverageId, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(coverageId))
        {
            var coverage = await fhir.ReadAsync(owner, platformId, "Coverage", CheckId(coverageId.Trim(), "coverage_id"), cancellationToken);
            var bundle = new JsonObject
            {
                ["resourceType"] = "Bundle",
                ["type"] = "searchset",
                ["total"] = 1,
                ["entry"] = new JsonArray(new JsonObject { ["resource"] = coverage.DeepClone() }),
            };
            return (bundle, [coverage]);
        }

        var found = await fhir.SearchAsync(owner, platformId, "Coverage", $"patient={Uri.EscapeDataString($"Patient/{patientId}")}&status=active", cancellationToken);
        var coverages = Json.Resources(found).Where(r => Json.Text(r, "resourceType") == "Coverage").ToList();
        return (found, coverages);
    }

    private static string CheckId(string id, string name) =>
        FhirNames.IsId(id) ? id : throw new FhirValidationException($"{name} must be a FHIR id: 1-64 letters, digits, '-' or '.'.");
}
