using FhirGateway.Api.Apis;
using FhirGateway.Core.Security;

namespace FhirGateway.Api.Security;

/// <summary>Refusals made before an endpoint runs (401, 429, 504), as the OperationOutcome every REST error is.</summary>
internal sealed class OutcomeRefusal : IGatewayRefusal
{
    public Task WriteAsync(HttpContext context, int status, string issueCode, string message) =>
        FhirResults.Outcome(status, issueCode, message).ExecuteAsync(context);
}
