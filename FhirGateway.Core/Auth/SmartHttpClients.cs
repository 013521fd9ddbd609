namespace FhirGateway.Core.Auth;

/// <summary>The named HTTP clients for authorization servers.</summary>
internal static class SmartHttpClients
{
    /// <summary>GETs of discovery documents and JWKS: idempotent, so the standard resilience (retries) stays.</summary>
    public const string Metadata = "smart-metadata";

    /// <summary>
    /// POSTs to token and revocation endpoints: never retried. A code can be exchanged once (RFC 6749 §4.1.2:
    /// a second use SHOULD revoke the tokens issued) and platforms rotate refresh tokens and revoke the whole
    /// grant when a used one comes back, so a retry after a lost response would log the user out.
    /// </summary>
    public const string TokenEndpoint = "smart-token";
}
