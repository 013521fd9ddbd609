using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FhirGateway.Api.Tests.Fhir;
using FhirGateway.Testing;

namespace FhirGateway.Api.Tests.Coverage;

/// <summary>Calls the coverage routes as a logged-in browser session, and the sandbox payer directly to compare.</summary>
internal static class CoverageClient
{
    public const string Root = "/api/coverage/local-sandbox";
    public const string LumbarMri = "https://sandbox.fhir-gateway.local/Questionnaire/lumbar-mri-pa|1.0.0";

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(FhirSession session, string path, object body)
    {
        using var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await session.Http.PostAsync(new Uri(path, UriKind.Relative), content);
        return (response.StatusCode, await FhirSession.JsonAsync(response));
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(FhirSession session, string path)
    {
        using var response = await session.Http.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await FhirSession.JsonAsync(response));
    }

    public static string OutcomeText(JsonElement outcome)
    {
        Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
        return outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString()!;
    }

    /// <summary>The sandbox payer's own answer to order-sign for a ServiceRequest with the code, with prefetch read with <paramref name="token"/>.</summary>
    public static async Task<JsonElement> SandboxOrderSignAsync(SandboxServers sandbox, string token, string code)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var fhir = sandbox.FhirBase();
        var patient = await http.GetFromJsonAsync<JsonNode>($"{fhir}/Patient/{SandboxServers.PatientId}");
        var coverage = await http.GetFromJsonAsync<JsonNode>($"{fhir}/Coverage?patient=Patient/{SandboxServers.PatientId}&status=active");
        var request = new JsonObject
        {
            ["hookInstance"] = Guid.NewGuid().ToString(),
            ["hook"] = "order-sign",
            ["context"] = new JsonObject
            {
                ["userId"] = $"Patient/{SandboxServers.PatientId}",
                ["patientId"] = SandboxServers.PatientId,
                ["draftOrders"] = new JsonObject
                {
                    ["resourceType"] = "Bundle", ["type"] = "collection",
                    ["entry"] = new JsonArray(new JsonObject
                    {
                        ["resource"] = new JsonObject
                        {
                            ["resourceType"] = "ServiceRequest", ["id"] = "direct-1", ["status"] = "draft", ["intent"] = "order",
                            ["subject"] = new JsonObject { ["reference"] = $"Patient/{SandboxServers.PatientId}" },
                            ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://www.ama-assn.org/go/cpt", ["code"] = code }) },
                        },
                    }),
                },
            },
            ["prefetch"] = new JsonObject { ["patient"] = patient, ["coverage"] = coverage },
        };
        using var noAuth = new HttpClient();
        using var response = await noAuth.PostAsync(new Uri($"{sandbox.FhirOrigin.AbsoluteUri.TrimEnd('/')}/payer-a/cds-services/coverage-order-sign"),
            new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return await FhirSession.JsonAsync(response);
    }
}
