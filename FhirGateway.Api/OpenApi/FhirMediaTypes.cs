using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace FhirGateway.Api.OpenApi;

/// <summary>The media types of the document: FHIR JSON (R4 http.html §3.1.0.1.7), JSON Patch, and form search.</summary>
internal static class FhirMediaTypes
{
    public const string FhirJson = "application/fhir+json";
    public const string JsonPatch = "application/json-patch+json";
    public const string Form = "application/x-www-form-urlencoded";

    /// <summary>A FHIR resource: any R4 resource, told apart by <c>resourceType</c>.</summary>
    public static OpenApiSchema ResourceSchema(string description) => new()
    {
        Type = JsonSchemaType.Object,
        Description = description,
        Required = new HashSet<string> { "resourceType" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["resourceType"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["id"] = new OpenApiSchema { Type = JsonSchemaType.String },
        },
    };

    public static Dictionary<string, OpenApiMediaType> Fhir(string description, JsonNode? example) => new()
    {
        [FhirJson] = new OpenApiMediaType { Schema = ResourceSchema(description), Example = example },
    };

    public static OpenApiResponse Response(string description, JsonNode? example) =>
        new() { Description = description, Content = Fhir(description, example) };

    /// <summary>An error answer: an OperationOutcome whose issue code fits the status.</summary>
    public static OpenApiResponse Outcome(string status, string description) => new()
    {
        Description = description,
        Content = Fhir("An OperationOutcome whose id is the request's trace id.", FhirExamples.OperationOutcome(IssueCode(status), description)),
    };

    private static string IssueCode(string status) => status switch
    {
        "401" => "login",
        "403" => "forbidden",
        "404" => "not-found",
        "200" => "informational",
        "502" => "transient",
        _ => "invalid",
    };
}
