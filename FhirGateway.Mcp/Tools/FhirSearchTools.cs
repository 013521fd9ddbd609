using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using FhirGateway.Core.Fhir;
using FhirGateway.Core.Platforms;
using FhirGateway.Core.Errors;
using FhirGateway.Mcp.Fhir;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace FhirGateway.Mcp.Tools;

/// <summary>FHIR search for agents: summaries with one line per resource, paging by token, counts.</summary>
[McpServerToolType]
[SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "MCP parameter names are the tool's wire contract.")]
public sealed class FhirSearchTools(McpFhir fhir, IPlatformRegistry platforms)
{
    private const int DefaultCount = 20;
    private const int MaxCount = 200;
    private const int MaxPages = 10;

    [McpServerTool(Name = "search", ReadOnly = true, Idempotent = true, OpenWorld = true)]
    [Description("Searches a connected FHIR platform for resources of one type. Answers the total and one line per resource with its key fields " +
        "(Patient: name, birth date; Observation: code, value, date; Condition: code, status, onset; ...), and a next_page token when there are more. " +
        "With max_pages above 1 it follows the platform's next links in this one call, sending a progress notification per page.")]
    public async Task<string> Search(
        [Description("Platform id or alias.")] string platform_id,
        [Description("FHIR R4 resource type, e.g. Observation, Condition, Patient, MedicationRequest, Encounter.")] string resource_type,
        RequestContext<CallToolRequestParams> context,
        [Description("Search parameters as an object, e.g. {\"category\": \"laboratory\", \"patient\": \"123\"}. An array value repeats the parameter (AND), " +
            "e.g. {\"date\": [\"ge2024-01-01\", \"lt2025-01-01\"]}; a comma inside a value means OR.")] Dictionary<string, JsonElement>? @params = null,
        [Description("Results per page, 1 to 200; default 20.")] int? count = null,
        [Description("Only these elements of each resource (FHIR _elements), comma-separated, e.g. 'code,value,effective'.")] string? elements = null,
        [Description("_include values, e.g. ['Observation:patient'].")] string[]? include = null,
        [Description("_revinclude values, e.g. ['Provenance:target'].")] string[]? revinclude = null,
        [Description("Sort order (FHIR _sort), e.g. '-date' for newest first.")] string? sort = null,
        [Description("Also return the resources' raw FHIR JSON, within the answer's size limit. Default false: lines only.")] bool raw = false,
        [Description("Pages to fetch in this call, 1 to 10; default 1. Stops early when there are no more or the next would not fit in the answer.")] int max_pages = 1,
        CancellationToken cancellationToken = default)
    {
        if (count is < 1 or > MaxCount)
        {
            throw new McpException($"count must be between 1 and {MaxCount}.");
        }

        if (max_pages is < 1 or > MaxPages)
        {
            throw new McpException($"max_pages must be between 1 and {MaxPages}.");
        }

        var platform = platforms.Find(platform_id) ?? throw new PlatformNotFoundException(platform_id);
        var query = new SearchQuery().Add(@params)
            .Add("_count", (count ?? DefaultCount).ToString(CultureInfo.InvariantCulture))
            .Add("_elements", elements).Add("_include", include).Add("_revinclude", revinclude).Add("_sort", sort);
        var request = new FhirRequest
        {
            PlatformId = platform.Id, Interaction = FhirInteraction.Search, Method = HttpMethod.Get, ResourceType = resource_type, Query = query.ToString(),
        };
        var pages = new BundleText(platform.Id, fhir.Budget, raw);
        var progress = ToolProgress.For(context);
        for (var page = 1; ; page++)
        {
            using var answer = await fhir.SendAsync(request, cancellationToken);
            if (!pages.TryAdd(Bundle(answer, platform.Id)))
            {
                return pages.ToText($"{resource_type} search",
                    $"stopped after page {pages.Pages} of up to {max_pages}: the next page did not fit in this answer's size limit; next_page fetches it.");
            }

            await progress.ReportAsync(new ProgressNotificationValue
            {
                Progress = page, Total = max_pages,
                Message = string.Create(CultureInfo.InvariantCulture, $"{resource_type} search at {platform.Id}: page {page} of ≤{max_pages}"),
            }, cancellationToken);
            if (pages.Next is null || page == max_pages)
            {
                return pages.Next is null && page < max_pages
                    ? pages.ToText($"{resource_type} search", $"no more pages after page {page}.")
                    : pages.ToText($"{resource_type} search");
            }

            request = PageToken.ToRequest(pages.Next, platform);
        }
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
        return BundleText.Of(Bundle(answer, request.PlatformId), platforms.Find(request.PlatformId)?.Id ?? request.PlatformId, what, raw, fhir.Budget);
    }

    private static JsonElement Bundle(FhirAnswer answer, string platformId) =>
        answer.Body?.RootElement is { } body && JsonRead.Text(body, "resourceType") == "Bundle"
            ? body
            : throw new McpException($"Platform '{platformId}' did not answer a Bundle.");
}
