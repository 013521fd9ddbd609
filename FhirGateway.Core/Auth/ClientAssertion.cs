using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FhirGateway.Core.Auth;

/// <summary>
/// The signed JWT a client authenticates with (RFC 7523 §3; SMART App Launch 2.2 "Client Authentication:
/// Asymmetric (public key)"): <c>iss</c> = <c>sub</c> = client id, <c>aud</c> = token URL, a fresh <c>jti</c>, and
/// <c>exp</c> no more than five minutes ahead, signed RS384 or ES384.
/// </summary>
internal static class ClientAssertion
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public static string Create(string clientId, string tokenUrl, string privateKeyPem, string? keyId, string? algorithm, DateTimeOffset now)
    {
        var (key, signingAlgorithm) = LoadKey(privateKeyPem, algorithm);
        key.KeyId = keyId;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = clientId,
            Audience = tokenUrl,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + Lifetime).UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = clientId,
                [JwtRegisteredClaimNames.Jti] = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
            },
            SigningCredentials = new SigningCredentials(key, signingAlgorithm),
            TokenType = "JWT",
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>Throws <see cref="CryptographicException"/> or <see cref="ArgumentException"/> for a key that is not PEM.</summary>
    private static (AsymmetricSecurityKey Key, string Algorithm) LoadKey(string pem, string? algorithm)
    {
        if (string.Equals(algorithm, SecurityAlgorithms.EcdsaSha384, StringComparison.OrdinalIgnoreCase))
        {
            var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(pem);
            return (new ECDsaSecurityKey(ecdsa), SecurityAlgorithms.EcdsaSha384);
        }

        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return (new RsaSecurityKey(rsa), SecurityAlgorithms.RsaSha384);
    }
}
