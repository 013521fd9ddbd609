using System.Text.Json;
using FhirGateway.Core.Identity;

namespace FhirGateway.Mcp.Hosting;

/// <summary>
/// Refuses an MCP request whose <c>X-FHIR-Gateway-Key</c> is malformed (400, with a JSON-RPC error saying why)
/// before the MCP handler runs, so no tool ever serves it under another identity or none.
/// </summary>
internal sealed class GatewayKeyGuard(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        try
        {
            GatewayKey.FromHeader(context.Request.Headers[GatewayKey.HeaderName]);
        }
        catch (InvalidGatewayKeyException malformed)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "application/json";
            // JSON-RPC 2.0 §5.1: -32600 Invalid Request; id null as the request's id is not read.
            return context.Response.WriteAsync(JsonSerializer.Serialize(
                new { jsonrpc = "2.0", id = (string?)null, error = new { code = -32600, message = malformed.Message } }));
        }

        return next(context);
    }
}
