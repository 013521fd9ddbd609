using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using FhirGateway.Core.Fhir;
using FhirGateway.Core.Platforms;
using FhirGateway.Core.Errors;
using FhirGateway.Mcp.Fhir;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace FhirGateway.Mcp.Tools;

/// <summary>FHIR search for agents: summaries with one line per resource, paging by token, counts.</summary>
[McpServerToolType]
[SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "MCP parameter names are the tool's wire contract.")]
public sealed class FhirSearchTools(McpFhir fhir, IPlatformRegistry platforms)
{
    private const int DefaultCount = 20;
    private const int MaxCount = 200;

    [McpServerTool(Name = "search", ReadOnly = true, Idempotent = true, OpenWorld = true)]
    [Description("Searches a connected FHIR platform for resources of one type. Answers the total and one line per resource with its key fields " +
        "(Patient: name, birth date; Observation: code, value, date; Condition: code, status, onset; ...), and a next_page token when there are more.")]
    public async Task<string> Search(
        [Description("Platform id or alias.")] string platform_id,
        [Description("FHIR R4 resource type, e.g. Observation, Condition, Patient, MedicationRequest, Encounter.")] string resource_type,
        [Description("Search parameters as an object, e.g. {\"category\": \"laboratory\", \"patient\": \"123\"}. An array value repeats the parameter (AND), " +
            "e.g. {\"date\": [\"ge2024-01-01\", \"lt2025-01-01\"]}; a comma inside a value means OR.")] Dictionary<string, JsonElement>? @params = null,
        [Description("Results per page, 1 to 200; default 20.")] int? count = null,
        [Description("Only these elements of each resource (FHIR _elements), comma-separated, e.g. 'code,value,effective'.")] string? elements = null,
        [Description("_include values, e.g. ['Observation:patient'].")] string[]? include = null,
        [Description("_revinclude values, e.g. ['Provenance:target'].")] string[]? revinclude = null,
        [Description("Sort order (FHIR _sort), e.g. '-date' for newest first.")] string? sort = null,
        [Description("Also return the resources' raw FHIR JSON, within the answer's size limit. Default false: lines only.")] bool raw = false,
        CancellationToken cancellationToken = default)
    {
        if (count is < 1 or > MaxCount)
        {
            throw new McpException($"count must be between 1 and {MaxCount}.");
        }

        var query = new SearchQuery().Add(@params)
            .Add("_count", (count ?? DefaultCount).ToString(CultureInfo.InvariantCulture))
            .Add("_elements", elements).Add("_include", include).Add("_revinclude", revinclude).Add("_sort", sort);
        return await BundleAsync(new FhirRequest
        {
            PlatformId = platform_id, Interaction = FhirInteraction.Search, Method = HttpMethod.Get, ResourceType = resource_type, Query = query.ToString(),
        }, $"{resource_type} search", raw, cancellationToken);
    }

    [McpServerTool(Name = "get_next_page", ReadOnly = true, Idempotent = true, OpenWorld = true)]
    [Description("Gets the next page of a search (or of an operation that answered a Bundle), given the next_page token it answered.")]
    public async Task<string> GetNextPage(
        [Description("The platform id the search ran on.")] string platform_id,
        [Description("The next_page token, unchanged.")] string page,
        [Description("Also return the resources' raw FHIR JSON, within the size limit.")] bool raw = false,
        CancellationToken cancellationToken = default)
    {
        var platform = platforms.Find(platform_id) ?? throw new PlatformNotFoundException(platform_id);
        return await BundleAsync(PageToken.ToRequest(page, platform), "Next page", raw, cancellationToken);
    }

    [McpServerTool(Name = "count", ReadOnly = true, Idempotent = true, OpenWorld = true)]
    [Description("Counts the resources a search would find, without fetching them (FHIR _summary=count).")]
    public async Task<string> Count(
        [Description("Platform id or alias.")] string platform_id,
        [Description("FHIR R4 resource type.")] string resource_type,
        [Description("Search parameters as an object, as for search.")] Dictionary<string, JsonElement>? @params = null,
        CancellationToken cancellationToken = default)
    {
        var query = new SearchQuery().Add(@params).Add("_summary", "count");
        using var answer = await fhir.SendAsync(new FhirRequest
        {
            PlatformId = platform_id, Interaction = FhirInteraction.Search, Method = HttpMethod.Get, ResourceType = resource_type, Query = query.ToString(),
        }, cancellationToken);
        return answer.Body?.RootElement is { } bundle && bundle.TryGetProperty("total", out var total) && total.ValueKind == JsonValueKind.Number
            ? $"{resource_type} at {platform_id}: {total.GetInt32().ToString(CultureInfo.InvariantCulture)} match."
            : $"Platform '{platform_id}' did not give a total for this search; use search and page through instead.";
    }

    private async Task<string> BundleAsync(FhirRequest request, string what, bool raw, CancellationToken cancellationToken)
    {
        using var answer = await fhir.SendAsync(request, cancellationToken);
        return answer.Body?.RootElement is { } body && JsonRead.Text(body, "resourceType") == "Bundle"
            ? BundleText.Of(body, platforms.Find(request.PlatformId)?.Id ?? request.PlatformId, what, raw, fhir.Budget)
            : throw new McpException($"Platform '{request.PlatformId}' did not answer a Bundle.");
    }
}
