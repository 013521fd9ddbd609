using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using FhirGateway.Core.Platforms;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace FhirGateway.Mcp.Tools;

/// <summary>The platform registry for agents: one short line per platform.</summary>
[McpServerToolType]
public sealed class PlatformTools(IPlatformRegistry registry)
{
    [McpServerTool(Name = "list_platforms", ReadOnly = true, Idempotent = true)]
    [Description("Lists the FHIR platforms (health plans, EHRs, sandboxes, government services, labs) the gateway can connect to. " +
        "One line per platform: id | display name | type | ready or what it needs | capabilities. Use the id with the other tools.")]
    [SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "MCP parameter names are the tool's wire contract.")]
    public string ListPlatforms(
        [Description("Only this type: payer, ehr, sandbox, government or lab.")] string? type = null,
        [Description("True: only platforms usable now (no registration needed, or a client id is configured). False: only those not usable yet.")] bool? registered_only = null,
        [Description("Text to find in the id, name, display name or aliases, e.g. 'aetna' or 'blue cross'.")] string? query = null)
    {
        PlatformType? platformType = null;
        if (!string.IsNullOrWhiteSpace(type))
        {
            if (!PlatformQueries.TryParseType(type, out var parsed))
            {
                throw new McpException($"Unknown platform type '{type}': use one of {string.Join(", ", PlatformQueries.TypeNames)}.");
            }

            platformType = parsed;
        }

        var platforms = registry.Search(platformType, registered_only, query);
        var text = new StringBuilder();
        text.Append(platforms.Count).AppendLine(platforms.Count == 1 ? " platform" : " platforms");
        foreach (var platform in platforms)
        {
            text.AppendLine(Line(platform));
        }

        return text.ToString();
    }

    private static string Line(Platform platform)
    {
        var d = platform.Definition;
        var state = platform.IsUsable ? "ready" : platform.IsRegistered ? "not configured" : "needs registration";
        var capabilities = string.Join(",", d.Capabilities.Where(c => c.Value).Select(c => c.Key));
        var draft = d.Status == PlatformStatus.Draft ? " (draft)" : "";
        return $"{d.Id} | {d.DisplayName}{draft} | {PlatformQueries.TypeNames[(int)d.Type]} | {state} | {capabilities}";
    }
}
