using System.Net;
using System.Security.Cryptography;
using FhirGateway.Core.Identity;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FhirGateway.Api.Tests.Security;

/// <summary>A bearer token the gateway does not accept is a 401 OperationOutcome, never another identity.</summary>
public sealed class BearerRejectionTests(SecurityFixture fixture) : IClassFixture<SecurityFixture>
{
    [Fact]
    public async Task AuthStatus_TamperedSignature_Returns401()
    {
        var token = await fixture.TokenAsync("patient");
        var tampered = token[..^4] + (token[^4] == 'A' ? "BBBB" : "AAAA");

        await AssertRejectedAsync(tampered);
    }

    [Fact]
    public async Task AuthStatus_TokenForAFhirServerNotTheGateway_Returns401()
    {
        // A real token of the same issuer, but its aud is the sandbox's FHIR base: not meant for the gateway.
        var token = await Testing.SandboxUserToken.GetAsync(fixture.Sandbox, fixture.Sandbox.FhirBase(), "patient");

        await AssertRejectedAsync(token);
    }

    [Fact]
    public async Task AuthStatus_TokenFromAnotherIssuer_Returns401()
    {
        await AssertRejectedAsync(Forge("https://other-issuer.example", DateTime.UtcNow.AddMinutes(10)));
    }

    [Fact]
    public async Task AuthStatus_ForgedTokenNamingTheRightIssuer_Returns401()
    {
        await AssertRejectedAsync(Forge(fixture.Issuer, DateTime.UtcNow.AddMinutes(10)));
    }

    [Fact]
    public async Task AuthStatus_NotAJwt_Returns401()
    {
        await AssertRejectedAsync("not-a-token");
    }

    [Fact]
    public async Task AuthStatus_BadTokenWithAValidGatewayKey_Returns401NotTheKeysAnswer()
    {
        using var request = GatewayRequests.Get(fixture.Open.BaseAddress, "/auth/status", "not-a-token", GatewayKey.Create());
        using var response = await fixture.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task AssertRejectedAsync(string token)
    {
        using var request = GatewayRequests.Get(fixture.Open.BaseAddress, "/auth/status", token);
        using var response = await fixture.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("invalid_token", challenge.Parameter, StringComparison.Ordinal);
        Assert.Equal("login", (await GatewayRequests.OutcomeAsync(response)).Code);
    }

    /// <summary>A well-formed JWT for the gateway's audience, signed by a key the identity provider never had.</summary>
    private static string Forge(string issuer, DateTime expires)
    {
        using var rsa = RSA.Create(2048);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = SecurityFixture.Audience,
            Claims = new Dictionary<string, object> { ["sub"] = "patient" },
            IssuedAt = expires.AddMinutes(-20),
            NotBefore = expires.AddMinutes(-20),
            Expires = expires,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = "forged" }, SecurityAlgorithms.RsaSha256),
        });
    }
}
