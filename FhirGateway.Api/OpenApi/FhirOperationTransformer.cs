using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace FhirGateway.Api.OpenApi;

/// <summary>
/// Gives each operation the answers the handlers write themselves, which ASP.NET cannot infer: FHIR bodies
/// (<c>application/fhir+json</c>) with examples on the FHIR routes, and OperationOutcome errors everywhere.
/// </summary>
internal sealed class FhirOperationTransformer : IOpenApiOperationTransformer
{
    private static readonly HashSet<string> ResourceAnswers = ["FhirRead", "FhirVRead", "FhirCreate", "FhirUpdate", "FhirPatch", "FhirConditionalUpdate", "FhirConditionalPatch"];
    private static readonly HashSet<string> ResourceBodies = ["FhirCreate", "FhirUpdate", "FhirConditionalUpdate"];

    /// <summary>The errors each non-FHIR route answers with an OperationOutcome.</summary>
    private static readonly Dictionary<string, (string Status, string Description)[]> OtherErrors = new()
    {
        ["ListPlatforms"] = [("400", "Unknown platform type.")],
        ["GetPlatform"] = [("404", "No platform with that id or alias.")],
        ["Login"] = [("400", "The platform is not usable as configured (the message names the setting)."), ("404", "Unknown platform.")],
        ["WaitForAuth"] = [("400", "timeout out of range."), ("404", "Unknown platform.")],
        ["Logout"] = [("403", "A cross-site request (CSRF)."), ("404", "Unknown platform.")],
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var name = operation.OperationId ?? "";
        operation.Responses ??= [];
        if (name.StartsWith("Fhir", StringComparison.Ordinal))
        {
            DescribeFhir(operation, name, context.Description.HttpMethod ?? "GET");
        }
        else if (OtherErrors.TryGetValue(name, out var errors))
        {
            foreach (var (status, description) in errors)
            {
                operation.Responses[status] = FhirMediaTypes.Outcome(status, description);
            }
        }

        if (name == "Login")
        {
            operation.Responses["302"] = new OpenApiResponse { Description = "To the platform's authorization page (unless redirect=false)." };
        }

        return Task.CompletedTask;
    }

    private static void DescribeFhir(OpenApiOperation operation, string name, string method)
    {
        var responses = operation.Responses!;
        responses.Clear();
        if (name == "FhirDelete" || name == "FhirConditionalDelete")
        {
            responses["200"] = FhirMediaTypes.Outcome("200", "Deleted; the platform's OperationOutcome, when it sends one.");
            responses["204"] = new OpenApiResponse { Description = "Deleted." };
        }
        else if (name == "FhirCapabilities")
        {
            responses["200"] = FhirMediaTypes.Response("The platform's CapabilityStatement (or the gateway's compact JSON summary with summary=true).", null);
        }
        else if (ResourceAnswers.Contains(name))
        {
            responses[name == "FhirCreate" ? "201" : "200"] = FhirMediaTypes.Response("The resource, as the platform answered.", FhirExamples.Patient());
        }
        else
        {
            responses["200"] = FhirMediaTypes.Response("A Bundle (search, history, batch) or the operation's result; paging links point at the gateway.", FhirExamples.Bundle());
        }

        responses["400"] = FhirMediaTypes.Outcome("400", "An invalid request (bad body, operation not allowed, paging URL outside the platform).");
        responses["401"] = FhirMediaTypes.Outcome("401", "No usable connection to the platform: log in at /auth/{platform_id}/login.");
        responses["404"] = FhirMediaTypes.Outcome("404", "Unknown platform, resource type or resource.");
        responses["502"] = FhirMediaTypes.Outcome("502", "The platform failed or could not be reached.");

        if (method is "POST" or "PUT" or "PATCH")
        {
            operation.RequestBody = RequestBody(name);
        }

        operation.Description = "Query parameters are passed to the platform as sent, in order. The platform's answer " +
            "(status, FHIR body, ETag, Location) comes back as is, with its links rewritten to the gateway.";
    }

    private static OpenApiRequestBody RequestBody(string name)
    {
        if (name == "FhirSearchPost")
        {
            return new OpenApiRequestBody
            {
                Description = "Search parameters as a form (FHIR R4 search.html §3.1.1.1.1).",
                Content = new Dictionary<string, OpenApiMediaType> { [FhirMediaTypes.Form] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object } } },
            };
        }

        if (name is "FhirPatch" or "FhirConditionalPatch")
        {
            return new OpenApiRequestBody
            {
                Required = true,
                Description = "A JSON Patch, or a FHIRPath Patch (Parameters resource).",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [FhirMediaTypes.JsonPatch] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Array }, Example = FhirExamples.JsonPatch() },
                    [FhirMediaTypes.FhirJson] = new() { Schema = FhirMediaTypes.ResourceSchema("A Parameters resource (FHIRPath Patch)."), Example = FhirExamples.Parameters() },
                },
            };
        }

        var (description, example) = ResourceBodies.Contains(name)
            ? ("The resource.", FhirExamples.Patient())
            : name == "FhirBatch"
                ? ("A batch or transaction Bundle.", BatchExample())
                : ("The operation's Parameters.", FhirExamples.Parameters());
        return new OpenApiRequestBody { Required = name != "FhirSystemOperationPost", Description = description, Content = FhirMediaTypes.Fhir(description, example) };
    }

    private static JsonObject BatchExample() => new JsonObject
    {
        ["resourceType"] = "Bundle",
        ["type"] = "batch",
        ["entry"] = new JsonArray(new JsonObject
        {
            ["request"] = new JsonObject { ["method"] = "GET", ["url"] = "Patient/8f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e" },
        }),
    };
}
