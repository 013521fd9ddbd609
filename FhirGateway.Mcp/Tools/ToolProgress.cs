using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace FhirGateway.Mcp.Tools;

/// <summary>
/// MCP progress notifications (MCP basic/utilities/progress) sent and awaited, so each is on the wire before the
/// tool's answer: the SDK's injected <see cref="IProgress{T}"/> sends without awaiting, leaving that order to chance
/// for the last page's notification. Without a progress token in the request, nothing is sent.
/// </summary>
public sealed class ToolProgress(McpServer server, ProgressToken? token)
{
    /// <summary>The progress of the tool call <paramref name="context"/> is for.</summary>
    public static ToolProgress For(RequestContext<CallToolRequestParams> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new(context.Server, context.Params?.ProgressToken);
    }

    public async Task ReportAsync(ProgressNotificationValue value, CancellationToken cancellationToken)
    {
        if (token is { } progressToken)
        {
            await server.NotifyProgressAsync(progressToken, value, cancellationToken: cancellationToken);
        }
    }
}
