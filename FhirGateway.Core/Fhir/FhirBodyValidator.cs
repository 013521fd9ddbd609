using System.Net;
using System.Text.Json;
using FhirGateway.Core.Errors;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// Checks a request body before it goes upstream: the media type fits the interaction, the JSON is well formed
/// FHIR (parsed by Firely), and its <c>resourceType</c> (and <c>id</c> on update) agree with the URL
/// (FHIR R4 http.html §3.1.0.4.1: an update whose body id differs from the URL is a 400).
/// </summary>
internal static class FhirBodyValidator
{
    private static readonly JsonSerializerOptions FhirJson = new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector);

    public static void Check(FhirRequest request)
    {
        var needsBody = request.Interaction is FhirInteraction.Create or FhirInteraction.Update or FhirInteraction.Patch or FhirInteraction.Batch;
        if (request.Body is not { Length: > 0 } body)
        {
            if (needsBody)
            {
                throw new FhirValidationException($"A {request.Interaction.ToString().ToLowerInvariant()} needs a body.");
            }

            return;
        }

        if (request.Method == HttpMethod.Get || request.Method == HttpMethod.Delete)
        {
            throw new FhirValidationException($"A {request.Method} request has no body.");
        }

        var mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (request.Interaction == FhirInteraction.Search)
        {
            Require(mediaType == "application/x-www-form-urlencoded", "A POST _search takes an application/x-www-form-urlencoded body.");
            return;
        }

        if (request.Interaction == FhirInteraction.Patch && mediaType == "application/json-patch+json")
        {
            if (!IsJsonArray(body.Span))
            {
                throw new FhirValidationException("A JSON Patch body is a JSON array of operations (RFC 6902).");
            }

            return;
        }

        Require(mediaType is "application/fhir+json" or "application/json", "The body must be FHIR JSON (application/fhir+json).");
        if (request.Interaction == FhirInteraction.Operation && request.Operation == "$validate")
        {
            // $validate exists to report what is wrong with a resource (R4 resource-operation-validate): its body
            // only has to be a JSON resource; the platform answers the issues as an OperationOutcome.
            if (!IsJsonResource(body.Span))
            {
                throw new FhirValidationException("The body of $validate must be a FHIR resource in JSON.");
            }

            return;
        }

        var resource = Parse(body);
        var expectedType = request.Interaction switch
        {
            FhirInteraction.Create or FhirInteraction.Update => request.ResourceType,
            FhirInteraction.Patch => "Parameters", // FHIRPath Patch (FHIR R4 fhirpatch.html)
            FhirInteraction.Batch => "Bundle",
            _ => null,
        };
        if (expectedType is not null && resource.TypeName != expectedType)
        {
            throw new FhirValidationException($"The body's resourceType is '{resource.TypeName}'; this request needs '{expectedType}'.");
        }

        if (request.Interaction == FhirInteraction.Update && request.Id is not null && resource.Id != request.Id)
        {
            throw new FhirValidationException("The body's id must equal the id in the URL.");
        }

        if (resource is Bundle bundle && request.Interaction == FhirInteraction.Batch
            && bundle.Type is not (Bundle.BundleType.Batch or Bundle.BundleType.Transaction))
        {
            throw new FhirValidationException("POST to the platform base takes a Bundle of type batch or transaction.");
        }
    }

    private static Resource Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonSerializer.Deserialize<Resource>(body.Span, FhirJson)
                ?? throw new FhirValidationException("The body is not a FHIR resource.");
        }
        catch (DeserializationFailedException failed)
        {
            // The issues name elements and positions of the caller's own body; they are not logged.
            var issues = string.Join("; ", failed.Exceptions.Take(5).Select(e => e.Message));
            throw new FhirValidationException($"The body is not valid FHIR JSON: {issues}");
        }
        catch (JsonException)
        {
            throw new FhirValidationException("The body is not well-formed FHIR JSON.");
        }
        catch (InvalidOperationException)
        {
            // Firely's converter throws this, not a JsonException, for a body that is JSON but not an object at its
            // root (e.g. an array): found by the fuzz test as a 500.
            throw new FhirValidationException("The body is not a FHIR resource: a resource is a JSON object.");
        }
    }

    private static bool IsJsonResource(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("resourceType", out var type) && type.ValueKind == JsonValueKind.String;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsJsonArray(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            return document.RootElement.ValueKind == JsonValueKind.Array;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new UnsupportedFormatException(HttpStatusCode.UnsupportedMediaType, message);
        }
    }
}
