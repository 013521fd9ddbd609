using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FhirGateway.Core.Errors;
using FhirGateway.Core.Fhir;
using FhirGateway.Core.Tokens;

namespace FhirGateway.Core.Coverage;

/// <summary>
/// FHIR calls of the coverage features, through the shared upstream client and so with the user's own connection:
/// reads and searches for prefetch and the PAS Bundle, and the DTR/PAS operations. A platform's error answer
/// becomes a <see cref="GatewayException"/> with its status and the OperationOutcome's text.
/// </summary>
internal sealed class PayerFhir(IFhirClient client)
{
    private const int MaxBytes = 8 * 1024 * 1024;

    public Task<JsonObject> ReadAsync(OwnerKey? owner, string platformId, string type, string id, CancellationToken cancellationToken) =>
        SendAsync(owner, new FhirRequest { PlatformId = platformId, Interaction = FhirInteraction.Read, Method = HttpMethod.Get, ResourceType = type, Id = id }, cancellationToken);

    public Task<JsonObject> SearchAsync(OwnerKey? owner, string platformId, string type, string query, CancellationToken cancellationToken) =>
        SendAsync(owner, new FhirRequest { PlatformId = platformId, Interaction = FhirInteraction.Search, Method = HttpMethod.Get, ResourceType = type, Query = query }, cancellationToken);

    public Task<JsonObject> OperationAsync(OwnerKey? owner, string platformId, string type, string operation, JsonNode body, CancellationToken cancellationToken) =>
        SendAsync(owner, new FhirRequest
        {
            PlatformId = platformId, Interaction = FhirInteraction.Operation, Method = HttpMethod.Post, ResourceType = type, Operation = operation,
            Body = Encoding.UTF8.GetBytes(body.ToJsonString()), ContentType = "application/fhir+json",
        }, cancellationToken);

    private async Task<JsonObject> SendAsync(OwnerKey? owner, FhirRequest request, CancellationToken cancellationToken)
    {
        await using var response = await client.SendAsync(owner, request, cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await response.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw new PayerException(HttpStatusCode.BadGateway, $"Platform '{request.PlatformId}' answered more than {MaxBytes / (1024 * 1024)} MB to {What(request)}.");
            }

            buffer.Write(chunk, 0, read);
        }

        JsonObject? body = null;
        try
        {
            body = buffer.Length == 0 ? null : JsonNode.Parse(buffer.ToArray()) as JsonObject;
        }
        catch (JsonException)
        {
            // Not JSON: handled below like an empty body.
        }

        if (response.StatusCode >= 400)
        {
            var status = (HttpStatusCode)response.StatusCode;
            var text = Json.OutcomeText(body) ?? "no details given.";
            throw new GatewayException(status, response.StatusCode >= 500 ? "exception" : Json.IssueCode(body) ?? "processing",
                $"Platform '{request.PlatformId}' answered {response.StatusCode} to {What(request)}: {text}");
        }

        return body ?? throw new PayerException(HttpStatusCode.BadGateway, $"Platform '{request.PlatformId}' answered {What(request)} without a FHIR resource.");
    }

    private static string What(FhirRequest request) => request.Interaction switch
    {
        FhirInteraction.Operation => $"{request.ResourceType}/{request.Operation}",
        FhirInteraction.Read => $"the read of {request.ResourceType}/{request.Id}",
        _ => $"the {request.ResourceType} search",
    };
}
