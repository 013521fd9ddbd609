using System.Net;
using FhirGateway.Testing;

namespace FhirGateway.Api.Tests.Fhir;

/// <summary>Access tokens expiring, refused and revoked mid-session, with the sandbox issuing 2-second tokens.</summary>
public sealed class FhirTokenTests(ShortTokenFhirGatewayFixture fixture) : IClassFixture<ShortTokenFhirGatewayFixture>
{
    private static readonly Uri PatientRead = new($"/api/fhir/local-sandbox/Patient/{SandboxServers.PatientId}", UriKind.Relative);

    [Fact]
    public async Task Read_AfterTheAccessTokenExpired_SucceedsAfterOneRefresh()
    {
        using var session = new FhirSession(fixture);
        await session.ConnectAsync();
        using var first = await session.Http.GetAsync(PatientRead);
        var before = await session.ConnectionAsync();

        await Task.Delay(TimeSpan.FromSeconds(3));
        using var second = await session.Http.GetAsync(PatientRead);
        var after = await session.ConnectionAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.NotEqual(before.AccessToken, after.AccessToken);
        Assert.NotNull(after.RefreshedAt);
    }

    [Fact]
    public async Task Read_TokenRefusedByThePlatform_RefreshesAndRetriesOnce()
    {
        using var session = new FhirSession(fixture);
        await session.ConnectAsync();
        await session.SpoilAccessTokenAsync();

        using var response = await session.Http.GetAsync(PatientRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual("spoiled-token", (await session.ConnectionAsync()).AccessToken);
    }

    [Fact]
    public async Task Create_TokenRefusedByThePlatform_Returns401WithoutRepeatingAndTheNextCallWorks()
    {
        using var session = new FhirSession(fixture);
        await session.ConnectAsync();
        await session.SpoilAccessTokenAsync();
        const string Patient = """{"resourceType":"Patient","name":[{"family":"NotRepeated"}]}""";

        using var refused = await session.SendAsync(HttpMethod.Post, "/api/fhir/local-sandbox/Patient", Patient);
        using var repeated = await session.SendAsync(HttpMethod.Post, "/api/fhir/local-sandbox/Patient", Patient);

        var body = await FhirApiTests.AssertOutcomeAsync(refused, HttpStatusCode.Unauthorized);
        Assert.Contains("/auth/local-sandbox/login", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, repeated.StatusCode);
    }

    [Fact]
    public async Task Read_AfterTheGrantWasRevoked_Returns401WithTheLoginUrl()
    {
        using var session = new FhirSession(fixture);
        await session.ConnectAsync();
        var refreshToken = (await session.ConnectionAsync()).RefreshToken!;
        using (var http = new HttpClient())
        {
            using var revoked = await http.PostAsync(new Uri(fixture.Sandbox.AuthIssuer, "/token/revocation"),
                new FormUrlEncodedContent([new("token", refreshToken), new("token_type_hint", "refresh_token"), new("client_id", SandboxServers.PublicClientId)]));
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
        using var response = await session.Http.GetAsync(PatientRead);

        var body = await FhirApiTests.AssertOutcomeAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains($"{fixture.Gateway.BaseAddress.AbsoluteUri.TrimEnd('/')}/auth/local-sandbox/login", body, StringComparison.Ordinal);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }
}
