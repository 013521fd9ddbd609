using System.Text.Json.Nodes;

namespace FhirGateway.Api.OpenApi;

/// <summary>Example FHIR R4 bodies for the OpenAPI document: the sandbox's seeded patient, a search page, an error.</summary>
internal static class FhirExamples
{
    private const string PatientId = "8f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e";

    public static JsonNode Patient() => new JsonObject
    {
        ["resourceType"] = "Patient",
        ["id"] = PatientId,
        ["meta"] = new JsonObject { ["versionId"] = "1", ["lastUpdated"] = "2025-01-15T10:00:00Z" },
        ["name"] = new JsonArray(new JsonObject { ["family"] = "Rivera", ["given"] = new JsonArray("Ana") }),
        ["gender"] = "female",
        ["birthDate"] = "1984-03-12",
    };

    public static JsonNode Bundle() => new JsonObject
    {
        ["resourceType"] = "Bundle",
        ["type"] = "searchset",
        ["total"] = 1,
        ["link"] = new JsonArray(
            new JsonObject { ["relation"] = "self", ["url"] = "http://localhost:5080/api/fhir/local-sandbox/Patient?_count=1" },
            new JsonObject
            {
                // Upstream paging links are rewritten to the gateway's page route, so the next page goes through it too.
                ["relation"] = "next",
                ["url"] = "http://localhost:5080/api/fhir/local-sandbox/_page?url=http%3A%2F%2F127.0.0.1%3A4180%2Fpayer-a%2Ffhir%2FPatient%3F_count%3D1%26_offset%3D1",
            }),
        ["entry"] = new JsonArray(new JsonObject
        {
            ["fullUrl"] = $"http://localhost:5080/api/fhir/local-sandbox/Patient/{PatientId}",
            ["resource"] = Patient(),
            ["search"] = new JsonObject { ["mode"] = "match" },
        }),
    };

    public static JsonNode OperationOutcome(string code, string diagnostics) => new JsonObject
    {
        ["resourceType"] = "OperationOutcome",
        ["id"] = "0af7651916cd43dd8448eb211c80319c",
        ["issue"] = new JsonArray(new JsonObject { ["severity"] = code == "informational" ? "information" : "error", ["code"] = code, ["diagnostics"] = diagnostics }),
    };

    public static JsonNode Parameters() => new JsonObject
    {
        ["resourceType"] = "Parameters",
        ["parameter"] = new JsonArray(new JsonObject { ["name"] = "_count", ["valueInteger"] = 10 }),
    };

    public static JsonNode JsonPatch() => new JsonArray(
        new JsonObject { ["op"] = "replace", ["path"] = "/birthDate", ["value"] = "1984-03-13" });
}
