using FhirGateway.Core.Tokens;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// Sends FHIR calls to a platform with the owner's access token: the one upstream client the REST and MCP
/// front-ends share. Every failure is a <see cref="Errors.GatewayException"/> (validation 400, unknown type 404,
/// not allowed 405, no connection 401 with the login URL, platform failures 502/503/504); an answer the platform
/// gave, error or not, comes back as a <see cref="FhirResponse"/>.
/// </summary>
public interface IFhirClient
{
    /// <summary>Validates <paramref name="request"/>, sends it to the platform and returns its answer.</summary>
    /// <param name="owner">Whose connection authorizes the call; null when the caller has no session (open platforms only).</param>
    /// <param name="request">The call.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<FhirResponse> SendAsync(OwnerKey? owner, FhirRequest request, CancellationToken cancellationToken = default);
}
