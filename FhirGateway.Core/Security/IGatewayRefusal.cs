using Microsoft.AspNetCore.Http;

namespace FhirGateway.Core.Security;

/// <summary>
/// How a front-end words a refusal made before any endpoint runs (401, 429, 504): the REST Api as an
/// <c>OperationOutcome</c>, the MCP server as a JSON-RPC error. Headers such as <c>WWW-Authenticate</c> and
/// <c>Retry-After</c> are set before it is called.
/// </summary>
public interface IGatewayRefusal
{
    /// <summary>Writes the answer; <paramref name="issueCode"/> is a FHIR issue type (e.g. <c>login</c>, <c>throttled</c>).</summary>
    Task WriteAsync(HttpContext context, int status, string issueCode, string message);
}
