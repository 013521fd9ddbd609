namespace FhirGateway.Core.Auth;

/// <summary>
/// A platform's authorization server as the gateway uses it: the platform's settings merged with discovery.
/// </summary>
/// <param name="AuthorizeUrl">Authorization endpoint.</param>
/// <param name="TokenUrl">Token endpoint.</param>
/// <param name="RevokeUrl">Revocation endpoint (RFC 7009), when there is one.</param>
/// <param name="Issuer">The issuer identifier, known only from discovery.</param>
/// <param name="JwksUri">Where the issuer's signing keys are, known only from discovery.</param>
/// <param name="IssParameterRequired">RFC 9207 §3: the server says it always sends <c>iss</c>.</param>
/// <param name="TokenEndpointAuthMethods">Client authentication methods, the platform file's first, then discovery's.</param>
internal sealed record AuthServerEndpoints(
    string? AuthorizeUrl,
    string TokenUrl,
    string? RevokeUrl,
    string? Issuer,
    string? JwksUri,
    bool IssParameterRequired,
    IReadOnlyList<string> TokenEndpointAuthMethods);
