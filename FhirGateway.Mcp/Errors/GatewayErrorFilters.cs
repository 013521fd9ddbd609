using FhirGateway.Core.Errors;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace FhirGateway.Mcp.Errors;

/// <summary>
/// The one place a <see cref="GatewayException"/> becomes an <see cref="McpException"/> the agent reads (its
/// message is written to be shown); anything else is masked by the SDK as a generic error, never a stack trace.
/// </summary>
internal static class GatewayErrorFilters
{
    public static McpRequestFilter<CallToolRequestParams, CallToolResult> Tools => next => async (context, cancellationToken) =>
    {
        try
        {
            return await next(context, cancellationToken);
        }
        catch (GatewayException failure)
        {
            throw ToMcp(failure);
        }
    };

    public static McpRequestFilter<ReadResourceRequestParams, ReadResourceResult> Resources => next => async (context, cancellationToken) =>
    {
        try
        {
            return await next(context, cancellationToken);
        }
        catch (GatewayException failure)
        {
            throw ToMcp(failure);
        }
    };

    /// <summary>The agent's version of a gateway error: for a missing authorization, the MCP way to fix it.</summary>
    public static McpException ToMcp(GatewayException failure) => failure switch
    {
        AuthorizationRequiredException required => new McpException(
            $"{required.Message} Over MCP: call start_auth with platform_id '{required.PlatformId}', " +
            "ask the user to open the URL it returns, then call wait_for_auth.", failure),
        _ => new McpException(failure.Message, failure),
    };
}
