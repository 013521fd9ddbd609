using System.Security.Cryptography;
using System.Text;
using FhirGateway.Bench;
using FhirGateway.Core.Tokens;

namespace FhirGateway.ProxyBench;

/// <summary>
/// A browser session with a stored connection to the benchmarked platform, seeded straight into the gateway's
/// token store: a ~1 KB JWT-shaped access token that expires far in the future, so no refresh happens.
/// </summary>
internal sealed class BenchSession
{
    private BenchSession(string id, string accessToken)
    {
        Id = id;
        AccessToken = accessToken;
    }

    /// <summary>43 base64url characters, as GatewaySession issues.</summary>
    public string Id { get; }

    public string AccessToken { get; }

    public string CookieHeader => $"fhirgw_session={Id}";

    public static async Task<BenchSession> SeedAsync(IServiceProvider gatewayServices, string platformId)
    {
        var session = new BenchSession(Base64Url(RandomNumberGenerator.GetBytes(32)), JwtShapedToken());
        var now = DateTimeOffset.UtcNow;
        await gatewayServices.GetRequiredService<ITokenStore>().SaveAsync(OwnerKey.ForSession(session.Id), new PlatformConnection
        {
            PlatformId = platformId,
            AccessToken = session.AccessToken,
            RefreshToken = Base64Url(RandomNumberGenerator.GetBytes(48)),
            ExpiresAt = now.AddDays(1),
            Scope = "openid fhirUser launch/patient offline_access patient/*.rs",
            Patient = CannedFhir.PatientId,
            FhirUser = $"Patient/{CannedFhir.PatientId}",
            ConnectedAt = now,
        });
        return session;
    }

    /// <summary>header.payload.signature with an RS256-sized signature: about what an EHR issues.</summary>
    public static string JwtShapedToken()
    {
        var header = """{"alg":"RS256","kid":"bench-2025-11","typ":"JWT"}""";
        var payload = $$"""
            {"iss":"https://ehr.example.org/oauth2","sub":"{{Guid.NewGuid()}}","aud":"https://ehr.example.org/fhir/R4","iat":1762070400,"exp":4102444800,
            "jti":"{{Guid.NewGuid()}}","client_id":"fhir-gateway","scope":"openid fhirUser launch/patient offline_access patient/*.rs",
            "patient":"{{CannedFhir.PatientId}}","fhirUser":"https://ehr.example.org/fhir/R4/Patient/{{CannedFhir.PatientId}}",
            "tenant":"{{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}}","sid":"{{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24))}}"}
            """.ReplaceLineEndings("");
        return $"{Base64Url(Encoding.UTF8.GetBytes(header))}.{Base64Url(Encoding.UTF8.GetBytes(payload))}.{Base64Url(RandomNumberGenerator.GetBytes(256))}";
    }

    public static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
