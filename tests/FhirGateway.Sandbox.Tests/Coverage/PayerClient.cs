using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FhirGateway.Testing;

namespace FhirGateway.Sandbox.Tests.Coverage;

/// <summary>
/// Talks to the sandbox payer the way a CRD client / DTR app / PAS submitter would: CDS Hooks calls, FHIR
/// operations with a SMART token, and the request shapes of the Da Vinci CRD, DTR and PAS guides.
/// </summary>
internal sealed class PayerClient(SandboxServers sandbox) : IDisposable
{
    /// <summary>Enough to read Patient/Coverage/Questionnaire and to create Claims ($submit).</summary>
    public const string Scope = "openid fhirUser launch/patient patient/*.cruds";

    public const string Cpt = "http://www.ama-assn.org/go/cpt";
    public const string Hcpcs = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets";
    public const string CoverageInformation = "http://hl7.org/fhir/us/davinci-crd/StructureDefinition/ext-coverage-information";
    public const string LumbarMriQuestionnaire = "https://sandbox.fhir-gateway.local/Questionnaire/lumbar-mri-pa|1.0.0";
    public const string PractitionerId = "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9";

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public SmartClient Smart { get; } = new(sandbox);

    public string PayerRoot => $"{sandbox.FhirOrigin.AbsoluteUri.TrimEnd('/')}/payer-a";

    public string FhirBase => sandbox.FhirBase();

    /// <summary>Logs the patient test user in with <paramref name="scope"/> and returns the access token.</summary>
    public async Task<string> LoginAsync(string scope = Scope)
    {
        var pkce = Pkce.Create();
        using var browser = new SandboxLogin();
        var back = await browser.AuthorizeAsync(Smart.AuthorizeUrl(pkce, "state-coverage-0123456789", scope: scope), SandboxServers.DefaultRedirectUri);
        using var response = await Smart.ExchangeCodeAsync(SmartClient.ParseQuery(back)["code"], pkce.Verifier);
        return (await SmartClient.ReadSuccessAsync(response)).GetProperty("access_token").GetString()!;
    }

    public Task<HttpResponseMessage> GetAsync(string url, string? token = null) => SendAsync(HttpMethod.Get, url, token, null);

    public Task<HttpResponseMessage> PostAsync(string url, JsonNode body, string? token = null, string contentType = "application/json") =>
        SendAsync(HttpMethod.Post, url, token, new StringContent(body.ToJsonString(), Encoding.UTF8, contentType));

    /// <summary>POSTs a FHIR operation under the payer-a FHIR base.</summary>
    public Task<HttpResponseMessage> OperationAsync(string path, JsonNode body, string token) =>
        PostAsync($"{FhirBase}/{path}", body, token, "application/fhir+json");

    public async Task<JsonElement> FhirJsonAsync(string relative, string token)
    {
        using var response = await GetAsync($"{FhirBase}/{relative}", token);
        return await SmartClient.ReadSuccessAsync(response);
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string? token, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.Accept.ParseAdd("application/json");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await _http.SendAsync(request);
    }

    // --- Request shapes ------------------------------------------------------------------------------------

    public static JsonObject ServiceRequest(string code, string system = Cpt, string id = "draft-1") => new()
    {
        ["resourceType"] = "ServiceRequest",
        ["id"] = id,
        ["status"] = "draft",
        ["intent"] = "order",
        ["subject"] = new JsonObject { ["reference"] = $"Patient/{SandboxServers.PatientId}" },
        ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = system, ["code"] = code }) },
    };

    /// <summary>A CDS Hooks order-sign request for one draft order; prefetch and fhirAuthorization as given.</summary>
    public JsonObject OrderSign(JsonObject order, JsonObject? prefetch = null, string? fhirToken = null)
    {
        var request = new JsonObject
        {
            ["hookInstance"] = Guid.NewGuid().ToString(),
            ["hook"] = "order-sign",
            ["context"] = new JsonObject
            {
                ["userId"] = $"Practitioner/{PractitionerId}",
                ["patientId"] = SandboxServers.PatientId,
                ["draftOrders"] = new JsonObject
                {
                    ["resourceType"] = "Bundle",
                    ["type"] = "collection",
                    ["entry"] = new JsonArray(new JsonObject { ["resource"] = order }),
                },
            },
        };
        if (prefetch is not null)
        {
            request["prefetch"] = prefetch;
        }

        if (fhirToken is not null)
        {
            request["fhirServer"] = FhirBase;
            request["fhirAuthorization"] = new JsonObject
            {
                ["access_token"] = fhirToken,
                ["token_type"] = "Bearer",
                ["expires_in"] = 300,
                ["scope"] = "patient/Patient.rs patient/Coverage.rs",
                ["subject"] = "sandbox-payer",
            };
        }

        return request;
    }

    /// <summary>Prefetch as the CRD client would fill it: the Patient and the active Coverage search.</summary>
    public async Task<JsonObject> PrefetchAsync(string token) => new()
    {
        ["patient"] = JsonNode.Parse((await FhirJsonAsync($"Patient/{SandboxServers.PatientId}", token)).GetRawText()),
        ["coverage"] = JsonNode.Parse((await FhirJsonAsync($"Coverage?patient=Patient/{SandboxServers.PatientId}&status=active", token)).GetRawText()),
    };

    public async Task<JsonElement> CoverageAsync(string token) =>
        (await FhirJsonAsync($"Coverage?patient=Patient/{SandboxServers.PatientId}&status=active", token)).GetProperty("entry")[0].GetProperty("resource");

    /// <summary>The answers a clinician would give to the lumbar MRI questionnaire; <paramref name="complete"/> false leaves required items out.</summary>
    public static JsonObject LumbarMriResponse(bool complete = true)
    {
        var history = new JsonArray(
            Item("symptom-weeks", new JsonObject { ["valueInteger"] = 8 }),
            Item("conservative-therapy", new JsonObject { ["valueBoolean"] = true }));
        if (complete)
        {
            history.Add(Item("conservative-therapy-details", new JsonObject { ["valueString"] = "Physical therapy and NSAIDs for 6 weeks, no improvement" }));
        }

        var items = new JsonArray(new JsonObject { ["linkId"] = "history", ["item"] = history });
        if (complete)
        {
            items.Add(new JsonObject
            {
                ["linkId"] = "findings",
                ["item"] = new JsonArray(Item("red-flags", new JsonObject
                {
                    ["valueCoding"] = new JsonObject { ["system"] = "https://sandbox.fhir-gateway.local/CodeSystem/lumbar-mri-red-flags", ["code"] = "none" },
                })),
            });
        }

        return new JsonObject
        {
            ["resourceType"] = "QuestionnaireResponse",
            ["id"] = "qr-lumbar-mri",
            ["questionnaire"] = LumbarMriQuestionnaire,
            ["status"] = "completed",
            ["subject"] = new JsonObject { ["reference"] = $"Patient/{SandboxServers.PatientId}" },
            ["item"] = items,
        };

        static JsonObject Item(string linkId, JsonObject answer) => new() { ["linkId"] = linkId, ["answer"] = new JsonArray(answer) };
    }

    /// <summary>
    /// A PAS request Bundle: Claim (use preauthorization) first, then Patient, Coverage, insurer, provider and,
    /// when given, the QuestionnaireResponse the Claim's supportingInfo points at.
    /// </summary>
    public async Task<JsonObject> PasRequestAsync(string token, string claimId, string code, string system = Cpt, JsonObject? questionnaireResponse = null)
    {
        var patient = JsonNode.Parse((await FhirJsonAsync($"Patient/{SandboxServers.PatientId}", token)).GetRawText())!;
        var coverage = JsonNode.Parse((await CoverageAsync(token)).GetRawText())!;
        var coverageId = coverage["id"]!.GetValue<string>();
        var claim = new JsonObject
        {
            ["resourceType"] = "Claim",
            ["identifier"] = new JsonArray(new JsonObject { ["system"] = "https://clinic.example/prior-auth", ["value"] = claimId }),
            ["status"] = "active",
            ["type"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/claim-type", ["code"] = "professional" }) },
            ["use"] = "preauthorization",
            ["patient"] = new JsonObject { ["reference"] = $"Patient/{SandboxServers.PatientId}" },
            ["created"] = "2025-03-01T10:00:00Z",
            ["insurer"] = new JsonObject { ["reference"] = "Organization/payer" },
            ["provider"] = new JsonObject { ["reference"] = "Organization/clinic" },
            ["priority"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/processpriority", ["code"] = "normal" }) },
            ["insurance"] = new JsonArray(new JsonObject { ["sequence"] = 1, ["focal"] = true, ["coverage"] = new JsonObject { ["reference"] = $"Coverage/{coverageId}" } }),
            ["item"] = new JsonArray(new JsonObject
            {
                ["sequence"] = 1,
                ["productOrService"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = system, ["code"] = code }) },
            }),
        };
        var entries = new JsonArray(
            new JsonObject { ["fullUrl"] = "urn:uuid:6f1e0b52-0c3a-4d43-9a55-2a1f1b7e0001", ["resource"] = claim },
            new JsonObject { ["fullUrl"] = $"{FhirBase}/Patient/{SandboxServers.PatientId}", ["resource"] = patient },
            new JsonObject { ["fullUrl"] = $"{FhirBase}/Coverage/{coverageId}", ["resource"] = coverage },
            new JsonObject { ["fullUrl"] = "urn:uuid:6f1e0b52-0c3a-4d43-9a55-2a1f1b7e0002", ["resource"] = new JsonObject { ["resourceType"] = "Organization", ["id"] = "payer", ["name"] = "Sandbox Health Plan" } },
            new JsonObject { ["fullUrl"] = "urn:uuid:6f1e0b52-0c3a-4d43-9a55-2a1f1b7e0003", ["resource"] = new JsonObject { ["resourceType"] = "Organization", ["id"] = "clinic", ["name"] = "Sandbox Family Clinic" } });
        if (questionnaireResponse is not null)
        {
            claim["supportingInfo"] = new JsonArray(new JsonObject
            {
                ["sequence"] = 1,
                ["category"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://hl7.org/fhir/us/davinci-pas/CodeSystem/PASSupportingInfoType", ["code"] = "additionalInformation" }) },
                ["valueReference"] = new JsonObject { ["reference"] = $"QuestionnaireResponse/{questionnaireResponse["id"]!.GetValue<string>()}" },
            });
            entries.Add(new JsonObject { ["fullUrl"] = "urn:uuid:6f1e0b52-0c3a-4d43-9a55-2a1f1b7e0004", ["resource"] = questionnaireResponse });
        }

        return new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["identifier"] = new JsonObject { ["system"] = "https://clinic.example/pas-bundles", ["value"] = $"bundle-{claimId}" },
            ["type"] = "collection",
            ["timestamp"] = "2025-03-01T10:00:00Z",
            ["entry"] = entries,
        };
    }

    /// <summary>A PAS inquiry Bundle naming the earlier request by its Claim identifier.</summary>
    public async Task<JsonObject> PasInquiryAsync(string token, string claimId)
    {
        var patient = JsonNode.Parse((await FhirJsonAsync($"Patient/{SandboxServers.PatientId}", token)).GetRawText())!;
        return new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["identifier"] = new JsonObject { ["system"] = "https://clinic.example/pas-bundles", ["value"] = $"inquiry-{claimId}" },
            ["type"] = "collection",
            ["timestamp"] = "2025-03-01T10:05:00Z",
            ["entry"] = new JsonArray(
                new JsonObject
                {
                    ["fullUrl"] = "urn:uuid:6f1e0b52-0c3a-4d43-9a55-2a1f1b7e0010",
                    ["resource"] = new JsonObject
                    {
                        ["resourceType"] = "Claim",
                        ["identifier"] = new JsonArray(new JsonObject { ["system"] = "https://clinic.example/prior-auth", ["value"] = claimId }),
                        ["status"] = "active",
                        ["use"] = "preauthorization",
                        ["patient"] = new JsonObject { ["reference"] = $"Patient/{SandboxServers.PatientId}" },
                    },
                },
                new JsonObject { ["fullUrl"] = $"{FhirBase}/Patient/{SandboxServers.PatientId}", ["resource"] = patient }),
        };
    }

    // --- Reading answers -----------------------------------------------------------------------------------

    /// <summary>The coverage-information sub-extensions of the first system action's resource: url -> values.</summary>
    public static ILookup<string, JsonElement> CoverageInformationOf(JsonElement cdsResponse)
    {
        var resource = cdsResponse.GetProperty("systemActions")[0].GetProperty("resource");
        var info = resource.GetProperty("extension").EnumerateArray().Single(e => e.GetProperty("url").GetString() == CoverageInformation);
        return info.GetProperty("extension").EnumerateArray().ToLookup(e => e.GetProperty("url").GetString()!);
    }

    public static string? Code(ILookup<string, JsonElement> info, string url) =>
        info[url].Select(e => e.GetProperty("valueCode").GetString()).SingleOrDefault();

    /// <summary>The X12 review action code (A1 approved, A3 not certified, A4 pended) of each ClaimResponse item.</summary>
    public static IEnumerable<string> ReviewActions(JsonElement claimResponse) =>
        claimResponse.GetProperty("item").EnumerateArray()
            .Select(i => i.GetProperty("adjudication")[0].GetProperty("extension")[0].GetProperty("extension")[0]
                .GetProperty("valueCodeableConcept").GetProperty("coding")[0].GetProperty("code").GetString()!);

    public void Dispose()
    {
        _http.Dispose();
        Smart.Dispose();
    }
}
