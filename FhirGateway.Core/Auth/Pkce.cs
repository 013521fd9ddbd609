using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace FhirGateway.Core.Auth;

/// <summary>Random values of an authorization request: PKCE (RFC 7636 §4.1-4.2, S256 only), state and nonce.</summary>
internal static class Pkce
{
    /// <summary>32 random bytes as base64url: 43 characters, 256 bits (RFC 7636 §4.1 asks for 43-128 characters).</summary>
    public static string NewRandomValue() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The S256 challenge: BASE64URL(SHA256(ASCII(verifier))) (RFC 7636 §4.2).</summary>
    public static string Challenge(string verifier) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
}
