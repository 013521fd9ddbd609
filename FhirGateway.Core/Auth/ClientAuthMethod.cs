namespace FhirGateway.Core.Auth;

/// <summary>Client authentication at the token endpoint (OpenID Connect Core 1.0 §9; SMART App Launch 2.2 §2.0.6).</summary>
internal enum ClientAuthMethod
{
    /// <summary>A public client: <c>client_id</c> in the body (RFC 6749 §2.3, §4.1.3).</summary>
    None,

    /// <summary>HTTP Basic with the form-encoded id and secret (RFC 6749 §2.3.1).</summary>
    ClientSecretBasic,

    /// <summary><c>client_id</c> and <c>client_secret</c> in the body (RFC 6749 §2.3.1).</summary>
    ClientSecretPost,

    /// <summary>A signed client assertion (RFC 7523 §2.2; SMART App Launch 2.2 "Client Authentication: Asymmetric").</summary>
    PrivateKeyJwt,
}
