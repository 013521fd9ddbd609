using System.Security.Cryptography;
using FhirGateway.Core.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FhirGateway.Core.Tests.Auth;

/// <summary>The private_key_jwt client assertion (RFC 7523 §3, SMART App Launch 2.2 asymmetric client authentication).</summary>
public sealed class ClientAssertionTests
{
    private const string TokenUrl = "https://auth.example.test/token";

    [Fact]
    public async Task Create_Rs384Key_SignedWithRequiredClaims()
    {
        using var rsa = RSA.Create(2048);
        var now = DateTimeOffset.UtcNow;

        var jwt = ClientAssertion.Create("my-client", TokenUrl, rsa.ExportPkcs8PrivateKeyPem(), "key-1", null, now);

        var result = await Validate(jwt, new RsaSecurityKey(rsa.ExportParameters(false)));
        Assert.True(result.IsValid, result.Exception?.Message);
        var token = (JsonWebToken)result.SecurityToken;
        Assert.Equal("RS384", token.Alg);
        Assert.Equal("key-1", token.Kid);
        Assert.Equal("my-client", token.Subject);
        Assert.False(string.IsNullOrEmpty(token.Id));
        Assert.True(token.ValidTo <= now.UtcDateTime.AddMinutes(5).AddSeconds(1));
    }

    [Fact]
    public async Task Create_Es384Key_SignedEs384()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        var jwt = ClientAssertion.Create("my-client", TokenUrl, ecdsa.ExportPkcs8PrivateKeyPem(), null, "ES384", DateTimeOffset.UtcNow);

        var result = await Validate(jwt, new ECDsaSecurityKey(ECDsa.Create(ecdsa.ExportParameters(false))));
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("ES384", ((JsonWebToken)result.SecurityToken).Alg);
    }

    [Fact]
    public void Create_TwoAssertions_DifferentJti()
    {
        using var rsa = RSA.Create(2048);
        var pem = rsa.ExportPkcs8PrivateKeyPem();

        var first = new JsonWebToken(ClientAssertion.Create("c", TokenUrl, pem, null, null, DateTimeOffset.UtcNow));
        var second = new JsonWebToken(ClientAssertion.Create("c", TokenUrl, pem, null, null, DateTimeOffset.UtcNow));

        Assert.NotEqual(first.Id, second.Id);
    }

    private static Task<TokenValidationResult> Validate(string jwt, SecurityKey key) =>
        new JsonWebTokenHandler().ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            ValidIssuer = "my-client",
            ValidAudience = TokenUrl,
            IssuerSigningKey = key,
            RequireExpirationTime = true,
        });
}
