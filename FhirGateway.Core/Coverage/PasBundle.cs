using System.Globalization;
using System.Text.Json.Nodes;

namespace FhirGateway.Core.Coverage;

/// <summary>
/// PAS request and inquiry Bundles (Da Vinci PAS: profile-pas-request-bundle, profile-pas-inquiry-request-bundle):
/// a <c>collection</c> whose first entry is the Claim (use <c>preauthorization</c>), then the Patient, Coverage,
/// insurer and provider it references, and the QuestionnaireResponse its supportingInfo points at.
/// </summary>
internal static class PasBundle
{
    /// <summary>The identifier system of the requests the gateway creates (RFC 3986 URIs, values <c>urn:uuid:…</c>).</summary>
    public const string IdentifierSystem = "urn:ietf:rfc:3986";

    private const string SupportingInfoType = "http://hl7.org/fhir/us/davinci-pas/CodeSystem/PASSupportingInfoType";

    /// <summary>The parties every PAS Bundle carries.</summary>
    internal sealed record Parties(string FhirBase, JsonObject Patient, JsonObject Coverage, JsonObject Insurer, JsonObject Provider);

    public static JsonObject Request(Parties parties, string identifier, CoverageCode code, IReadOnlyList<CoverageCode> diagnoses, JsonObject? questionnaireResponse)
    {
        var claim = Claim(parties, identifier);
        if (diagnoses.Count > 0)
        {
            claim["diagnosis"] = new JsonArray([.. diagnoses.Select((d, i) => (JsonNode)new JsonObject
            {
                ["sequence"] = i + 1,
                ["diagnosisCodeableConcept"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = d.System, ["code"] = d.Code }) },
            })]);
        }

        if (questionnaireResponse is not null)
        {
            claim["supportingInfo"] = new JsonArray(new JsonObject
            {
                ["sequence"] = 1,
                ["category"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = SupportingInfoType, ["code"] = "additionalInformation" }) },
                ["valueReference"] = new JsonObject { ["reference"] = $"QuestionnaireResponse/{Json.Text(questionnaireResponse, "id")}" },
            });
        }

        claim["item"] = new JsonArray(new JsonObject
        {
            ["sequence"] = 1,
            ["productOrService"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = code.System, ["code"] = code.Code }) },
        });
        var bundle = Bundle(parties, claim, identifier);
        if (questionnaireResponse is not null)
        {
            ((JsonArray)bundle["entry"]!).Add(new JsonObject { ["fullUrl"] = $"urn:uuid:{Guid.NewGuid()}", ["resource"] = questionnaireResponse.DeepClone() });
        }

        return bundle;
    }

    public static JsonObject Inquiry(Parties parties, string identifier) => Bundle(parties, Claim(parties, identifier), identifier);

    private static JsonObject Claim(Parties parties, string identifier) => new()
    {
        ["resourceType"] = "Claim",
        ["identifier"] = new JsonArray(Identifier(identifier)),
        ["status"] = "active",
        ["type"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/claim-type", ["code"] = "professional" }) },
        ["use"] = "preauthorization",
        ["patient"] = Reference(parties.Patient),
        ["created"] = Now(),
        ["insurer"] = Reference(parties.Insurer),
        ["provider"] = Reference(parties.Provider),
        ["priority"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/processpriority", ["code"] = "normal" }) },
        ["insurance"] = new JsonArray(new JsonObject { ["sequence"] = 1, ["focal"] = true, ["coverage"] = Reference(parties.Coverage) }),
    };

    private static JsonObject Bundle(Parties parties, JsonObject claim, string identifier) => new()
    {
        ["resourceType"] = "Bundle",
        ["identifier"] = new JsonObject { ["system"] = IdentifierSystem, ["value"] = $"urn:uuid:{Guid.NewGuid()}" },
        ["type"] = "collection",
        ["timestamp"] = Now(),
        ["entry"] = new JsonArray(
            new JsonObject { ["fullUrl"] = $"urn:uuid:{Guid.NewGuid()}", ["resource"] = claim },
            Entry(parties.FhirBase, parties.Patient),
            Entry(parties.FhirBase, parties.Coverage),
            Entry(parties.FhirBase, parties.Insurer),
            Entry(parties.FhirBase, parties.Provider)),
    };

    /// <summary>A gateway-made identifier is a URI (<c>urn:uuid:…</c>) in the RFC 3986 system; one the caller chose has no system.</summary>
    private static JsonObject Identifier(string value) =>
        value.StartsWith("urn:uuid:", StringComparison.Ordinal)
            ? new JsonObject { ["system"] = IdentifierSystem, ["value"] = value }
            : new JsonObject { ["value"] = value };

    private static JsonObject Entry(string fhirBase, JsonObject resource) =>
        new() { ["fullUrl"] = $"{fhirBase.TrimEnd('/')}/{Json.Text(resource, "resourceType")}/{Json.Text(resource, "id")}", ["resource"] = resource.DeepClone() };

    private static JsonObject Reference(JsonObject resource) =>
        new() { ["reference"] = $"{Json.Text(resource, "resourceType")}/{Json.Text(resource, "id")}" };

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
