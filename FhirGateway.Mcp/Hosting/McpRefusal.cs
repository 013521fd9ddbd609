using System.Text.Json;
using FhirGateway.Core.Security;

namespace FhirGateway.Mcp.Hosting;

/// <summary>
/// Refusals made before the MCP handler runs (401, 429, 504): the HTTP status the MCP transport reads, with a
/// JSON-RPC error an agent can show (JSON-RPC 2.0 §5.1: -32000 is a server error; id null as the request was not read).
/// </summary>
internal sealed class McpRefusal : IGatewayRefusal
{
    public Task WriteAsync(HttpContext context, int status, string issueCode, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(
            new { jsonrpc = "2.0", id = (string?)null, error = new { code = -32000, message } }));
    }
}
