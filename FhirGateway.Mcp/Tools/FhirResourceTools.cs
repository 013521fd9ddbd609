using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using FhirGateway.Core.Fhir;
using FhirGateway.Mcp.Fhir;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace FhirGateway.Mcp.Tools;

/// <summary>FHIR instance interactions for agents: read, create, update, patch and delete one resource.</summary>
[McpServerToolType]
[SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "MCP parameter names are the tool's wire contract.")]
public sealed class FhirResourceTools(McpFhir fhir)
{
    private const string FhirJson = "application/fhir+json";

    [McpServerTool(Name = "read", ReadOnly = true, Idempotent = true, OpenWorld = true)]
    [Description("Reads one resource by type and id: a summary line, then its FHIR JSON (cut to the answer's size limit).")]
    public async Task<string> Read(
        [Description("Platform id or alias.")] string platform_id,
        [Description("FHIR R4 resource type, e.g. Observation.")] string resource_type,
        [Description("The resource's logical id.")] string id,
        CancellationToken cancellationToken = default)
    {
        using var answer = await fhir.SendAsync(Request(platform_id, FhirInteraction.Read, HttpMethod.Get, resource_type, id), cancellationToken);
        var resource = answer.Body?.RootElement ?? throw new McpException($"Platform '{platform_id}' answered without a resource.");
        var text = new ResultText(fhir.Budget);
        text.Add(ResourceLine.Of(resource));
        if (!text.TryAdd(resource.GetRawText()))
        {
            text.Note("the resource's JSON is longer than the answer's size limit; search with elements to get parts of it.");
        }

        return text.ToString();
    }

    [McpServerTool(Name = "create", Destructive = false, OpenWorld = true)]
    [Description("Creates a resource at the platform (needs write scopes). Answers the new resource's type, id and version.")]
    public async Task<string> Create(
        [Description("Platform id or alias.")] string platform_id,
        [Description("FHIR R4 resource type; must equal the resource's resourceType.")] string resource_type,
        [Description("The resource as FHIR JSON (an object with resourceType), without id.")] JsonElement resource,
        CancellationToken cancellationToken = default)
    {
        var request = Request(platform_id, FhirInteraction.Create, HttpMethod.Post, resource_type, null) with { Body = Body(resource), ContentType = FhirJson };
        using var answer = await fhir.SendAsync(request, cancellationToken);
        return $"created: {Written(answer, resource_type)}";
    }

    [McpServerTool(Name = "update", Destructive = true, Idempotent = true, OpenWorld = true)]
    [Description("Replaces a resource (FHIR update, PUT). The body's id must equal id. Give version_id to update only if nobody changed it since (If-Match).")]
    public async Task<string> Update(
        [Description("Platform id or alias.")] string platform_id,
        [Description("FHIR R4 resource type.")] string resource_type,
        [Description("The resource's logical id.")] string id,
        [Description("The whole new resource as FHIR JSON, with this id.")] JsonElement resource,
        [Description("The version the update is based on (meta.versionId); the platform refuses it when the resource changed since.")] string? version_id = null,
        CancellationToken cancellationToken = default)
    {
        var request = Request(platform_id, FhirInteraction.Update, HttpMethod.Put, resource_type, id) with
        {
            Body = Body(resource), ContentType = FhirJson, Headers = IfMatch(version_id),
        };
        using var answer = await fhir.SendAsync(request, cancellationToken);
        return $"updated: {Written(answer, $"{resource_type}/{id}")}";
    }

    [McpServerTool(Name = "patch", Destructive = true, OpenWorld = true)]
    [Description("Changes part of a resource: a JSON Patch array (RFC 6902), e.g. [{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"final\"}], " +
        "or a FHIRPath Patch Parameters resource.")]
    public async Task<string> Patch(
        [Description("Platform id or alias.")] string platform_id,
        [Description("FHIR R4 resource type.")] string resource_type,
        [Description("The resource's logical id.")] string id,
        [Description("A JSON Patch array, or a FHIRPath Patch Parameters resource.")] JsonElement patch,
        [Description("The version the patch is based on (If-Match).")] string? version_id = null,
        CancellationToken cancellationToken = default)
    {
        var contentType = patch.ValueKind == JsonValueKind.Array ? "application/json-patch+json" : FhirJson;
        var request = Request(platform_id, FhirInteraction.Patch, HttpMethod.Patch, resource_type, id) with
        {
            Body = Body(patch), ContentType = contentType, Headers = IfMatch(version_id),
        };
        using var answer = await fhir.SendAsync(request, cancellationToken);
        return $"patched: {Written(answer, $"{resource_type}/{id}")}";
    }

    [McpServerTool(Name = "delete", Destructive = true, Idempotent = true, OpenWorld = true)]
    [Description("Deletes a resource at the platform (needs write scopes).")]
    public async Task<string> Delete(
        [Description("Platform id or alias.")] string platform_id,
        [Description("FHIR R4 resource type.")] string resource_type,
        [Description("The resource's logical id.")] string id,
        CancellationToken cancellationToken = default)
    {
        using var answer = await fhir.SendAsync(Request(platform_id, FhirInteraction.Delete, HttpMethod.Delete, resource_type, id), cancellationToken);
        return $"deleted: {resource_type}/{id}";
    }

    private static FhirRequest Request(string platformId, FhirInteraction interaction, HttpMethod method, string type, string? id) =>
        new() { PlatformId = platformId, Interaction = interaction, Method = method, ResourceType = type, Id = id };

    private static ReadOnlyMemory<byte> Body(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Object or JsonValueKind.Array => Encoding.UTF8.GetBytes(json.GetRawText()),
        // Some clients send JSON as a string: accept the text.
        JsonValueKind.String => Encoding.UTF8.GetBytes(json.GetString()!),
        _ => throw new McpException("The body must be a JSON object (a FHIR resource) or, for patch, an array."),
    };

    private static KeyValuePair<string, string>[] IfMatch(string? versionId) =>
        versionId is null ? [] : [new("If-Match", $"W/\"{versionId}\"")];

    /// <summary>What was written: the resource's line when the platform returned it, else the Location's type/id/version.</summary>
    private static string Written(FhirAnswer answer, string fallback)
    {
        if (answer.Body?.RootElement is { ValueKind: JsonValueKind.Object } body && JsonRead.Text(body, "resourceType") is not (null or "OperationOutcome"))
        {
            var version = JsonRead.Object(body, "meta") is { } meta ? JsonRead.Text(meta, "versionId") : null;
            return version is null ? ResourceLine.Of(body) : $"{ResourceLine.Of(body)} | version {version}";
        }

        var location = answer.Header("Location");
        var parts = location?.Split('/') ?? [];
        var history = Array.IndexOf(parts, "_history");
        return history >= 2 ? $"{parts[history - 2]}/{parts[history - 1]} | version {parts.ElementAtOrDefault(history + 1)}" : fallback;
    }
}
