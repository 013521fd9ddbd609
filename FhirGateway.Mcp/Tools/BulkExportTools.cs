using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using FhirGateway.Core.Errors;
using FhirGateway.Core.Fhir;
using FhirGateway.Core.Platforms;
using FhirGateway.Mcp.Fhir;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace FhirGateway.Mcp.Tools;

/// <summary>Bulk Data export for agents: start it, wait with progress, answer the manifest's files (not their content).</summary>
[McpServerToolType]
[SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "MCP parameter names are the tool's wire contract.")]
public sealed class BulkExportTools(BulkExport export, McpFhir fhir, IPlatformRegistry platforms)
{
    [McpServerTool(Name = "bulk_export", OpenWorld = true)]
    [Description("Runs a FHIR Bulk Data $export and waits for it, sending progress notifications with the platform's progress text. " +
        "Answers the manifest: one line per NDJSON file (type, count, download URL through the gateway). " +
        "If the export is still running at the timeout, answers a job token: call again with it to keep waiting instead of starting a new export.")]
    public async Task<string> Export(
        [Description("Platform id or alias.")] string platform_id,
        RequestContext<CallToolRequestParams> context,
        [Description("'patient' (every patient's compartment the connection may read; default), 'group' (the members of group_id) or 'system' (everything).")] string level = "patient",
        [Description("The Group's id, for level 'group'.")] string? group_id = null,
        [Description("Only these resource types (_type), e.g. ['Observation', 'Condition']. Leave out for all the connection may read.")] string[]? types = null,
        [Description("Only resources changed since this instant (_since), e.g. '2024-01-01T00:00:00Z'.")] string? since = null,
        [Description("Seconds to wait in this call, 0 to 300; default 60.")] double? timeout = null,
        [Description("The job token an earlier bulk_export answered, to keep waiting for that export; the other export parameters are then ignored.")] string? job = null,
        CancellationToken cancellationToken = default)
    {
        var seconds = timeout ?? BulkExport.DefaultSeconds;
        if (!(seconds is >= 0 and <= BulkExport.MaxSeconds))
        {
            throw new McpException($"timeout must be between 0 and {BulkExport.MaxSeconds} seconds.");
        }

        var platform = platforms.Find(platform_id) ?? throw new PlatformNotFoundException(platform_id);
        job ??= await export.KickOffAsync(KickOff(platform.Id, level, group_id, types, since), cancellationToken);
        var (manifest, state) = await export.WaitAsync(job, platform, TimeSpan.FromSeconds(seconds), ToolProgress.For(context), cancellationToken);
        return manifest is { } complete
            ? ManifestText.Of(complete, platform.Id, fhir.Budget)
            : $"pending: the export at {platform.Id} is still running ({state}) after {seconds.ToString(CultureInfo.InvariantCulture)} s.\n" +
                $"job: {job}\nCall bulk_export with platform_id '{platform.Id}' and this job to keep waiting.";
    }

    private static FhirRequest KickOff(string platformId, string level, string? groupId, string[]? types, string? since)
    {
        var resourceType = level switch
        {
            "system" => null,
            "patient" => "Patient",
            "group" => "Group",
            _ => throw new McpException("level must be 'patient', 'group' or 'system'."),
        };
        if ((level == "group") != (groupId is not null))
        {
            throw new McpException("group_id is needed for level 'group', and only there.");
        }

        var query = new SearchQuery()
            .Add("_type", types is { Length: > 0 } ? string.Join(',', types) : null)
            .Add("_since", since);
        return new FhirRequest
        {
            PlatformId = platformId, Interaction = FhirInteraction.Operation, Method = HttpMethod.Get,
            ResourceType = resourceType, Id = groupId, Operation = "$export", Query = query.ToString(),
        };
    }
}
