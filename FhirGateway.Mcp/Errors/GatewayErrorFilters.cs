using FhirGateway.Core.Errors;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace FhirGateway.Mcp.Errors;

/// <summary>
/// The one place a <see cref="GatewayException"/> becomes the error text the agent reads (its message is written to
/// be shown); anything else is masked by the SDK as a generic error, never a stack trace.
/// </summary>
internal static class GatewayErrorFilters
{
    /// <summary>
    /// An expected tool failure (a <see cref="GatewayException"/>, or an <see cref="McpException"/> a tool or the
    /// argument check threw) becomes the error result the agent reads. Answered here rather than thrown on, the SDK
    /// does not log it as an unhandled exception with a stack trace: its text can echo what the agent sent or what
    /// a platform said, which have no place in the server's logs.
    /// </summary>
    public static McpRequestFilter<CallToolRequestParams, CallToolResult> Tools => next => async (context, cancellationToken) =>
    {
        try
        {
            return await next(context, cancellationToken);
        }
        catch (GatewayException failure)
        {
            return ErrorResult(ToMcp(failure).Message);
        }
        catch (McpException failure) when (failure is not McpProtocolException)
        {
            return ErrorResult(failure.Message);
        }
    };

    private static CallToolResult ErrorResult(string message) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = message }],
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
