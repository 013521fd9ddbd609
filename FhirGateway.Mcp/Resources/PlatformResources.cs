using System.ComponentModel;
using System.Text.Json;
using FhirGateway.Core.Platforms;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace FhirGateway.Mcp.Resources;

/// <summary>The platform registry as MCP resources: public views only, no credentials, not even client ids.</summary>
[McpServerResourceType]
public sealed class PlatformResources(IPlatformRegistry registry)
{
    [McpServerResource(UriTemplate = "fhir://platforms", Name = "platforms", MimeType = "application/json")]
    [Description("Every platform the gateway knows, with type, status, whether it is usable and its capabilities (JSON).")]
    public string Platforms()
    {
        var all = registry.All.Select(PlatformSummary.From).ToList();
        return JsonSerializer.Serialize(new PlatformList(all, all.Count), PlatformJsonContext.Default.PlatformList);
    }

    [McpServerResource(UriTemplate = "fhir://platform/{id}", Name = "platform", MimeType = "application/json")]
    [Description("One platform's public details by id or alias (JSON): FHIR base URL, version, capabilities, registration, what it needs to be usable.")]
    public string Platform([Description("Platform id or alias.")] string id) =>
        registry.Find(id) is { } platform
            ? JsonSerializer.Serialize(PlatformSummary.From(platform), PlatformJsonContext.Default.PlatformSummary)
            : throw new McpProtocolException($"Unknown platform '{id}'. Read fhir://platforms for the ids.", McpErrorCode.ResourceNotFound);
}
