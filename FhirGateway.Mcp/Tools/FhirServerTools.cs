using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using FhirGateway.Core.Fhir;
using FhirGateway.Mcp.Fhir;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace FhirGateway.Mcp.Tools;

/// <summary>What a platform's FHIR server offers, and its operations (only those the gateway allows).</summary>
[McpServerToolType]
[SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "MCP parameter names are the tool's wire contract.")]
public sealed class FhirServerTools(McpFhir fhir)
{
    [McpServerTool(Name = "get_capabilities", ReadOnly = true, Idempotent = true, OpenWorld = true)]
    [Description("What a platform's FHIR server supports (from its CapabilityStatement): FHIR version, resource types and their interactions; " +
        "for one resource type, its search parameters and operations too.")]
    public async Task<string> GetCapabilities(
        [Description("Platform id or alias.")] string platform_id,
        [Description("One resource type to detail (search parameters, operations). Leave out for the overview.")] string? resource_type = null,
        CancellationToken cancellationToken = default)
    {
        using var answer = await fhir.SendAsync(new FhirRequest { PlatformId = platform_id, Interaction = FhirInteraction.Capabilities, Method = HttpMethod.Get }, cancellationToken);
        var statement = answer.Body is { } body ? CapabilitySummary.From(Encoding.UTF8.GetBytes(body.RootElement.GetRawText())) : null;
        if (statement is null)
        {
            throw new McpException($"Platform '{platform_id}' did not answer a CapabilityStatement.");
        }

        var text = new ResultText(fhir.Budget);
        text.Add($"{platform_id}: FHIR {statement.FhirVersion ?? "?"}{(statement.Software is null ? "" : $", {statement.Software}")}, {statement.Resources.Count} resource types.");
        if (resource_type is not null)
        {
            var resource = statement.Resources.FirstOrDefault(r => r.Type == resource_type)
                ?? throw new McpException($"Platform '{platform_id}' does not list {resource_type} in its CapabilityStatement.");
            text.Add($"{resource.Type}: interactions {string.Join(", ", resource.Interactions)}");
            text.Add($"search parameters: {string.Join(", ", resource.SearchParams)}");
            text.Add($"operations: {(resource.Operations.Count == 0 ? "none" : string.Join(", ", resource.Operations))}");
            return text.ToString();
        }

        foreach (var resource in statement.Resources)
        {
            text.TryAdd($"{resource.Type}: {string.Join(",", resource.Interactions)}");
        }

        text.Add($"system operations: {(statement.Operations.Count == 0 ? "none" : string.Join(", ", statement.Operations))}");
        return text.ToString();
    }

    [McpServerTool(Name = "execute_operation", OpenWorld = true)]
    [Description("Runs a FHIR operation the gateway allows (e.g. $everything, $lastn, $validate, $expand, $lookup, $docref, $summary). " +
        "Without parameters it is a GET with params as query; with parameters (a FHIR Parameters resource) a POST.")]
    public async Task<string> ExecuteOperation(
        [Description("Platform id or alias.")] string platform_id,
        [Description("The operation's name, e.g. '$everything' (the '$' may be left out).")] string operation,
        [Description("Resource type, for a type- or instance-level operation, e.g. Patient.")] string? resource_type = null,
        [Description("Resource id, for an instance-level operation.")] string? id = null,
        [Description("Query parameters for a GET, as an object, e.g. {\"code\": \"http://loinc.org|4548-4\"}.")] Dictionary<string, JsonElement>? @params = null,
        [Description("A FHIR Parameters resource to POST instead.")] JsonElement? parameters = null,
        CancellationToken cancellationToken = default)
    {
        var name = operation.StartsWith('$') ? operation : "$" + operation;
        var request = new FhirRequest
        {
            PlatformId = platform_id, Interaction = FhirInteraction.Operation, Method = parameters is null ? HttpMethod.Get : HttpMethod.Post,
            ResourceType = resource_type, Id = id, Operation = name, Query = new SearchQuery().Add(@params).ToString(),
            Body = parameters is { } body ? Encoding.UTF8.GetBytes(body.GetRawText()) : null,
            ContentType = parameters is null ? null : "application/fhir+json",
        };
        using var answer = await fhir.SendAsync(request, cancellationToken);
        if (answer.Body?.RootElement is not { } result)
        {
            return $"{name} at {platform_id}: done (no content).";
        }

        if (JsonRead.Text(result, "resourceType") == "Bundle")
        {
            return BundleText.Of(result, platform_id, name, raw: false, fhir.Budget);
        }

        var text = new ResultText(fhir.Budget);
        text.Add($"{name} at {platform_id}: {ResourceLine.Of(result)}");
        if (!text.TryAdd(result.GetRawText()))
        {
            text.Note("the result's JSON is longer than the answer's size limit.");
        }

        return text.ToString();
    }
}
