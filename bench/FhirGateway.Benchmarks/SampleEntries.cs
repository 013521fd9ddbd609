using System.Security.Cryptography;
using FhirGateway.Core.Tokens;

namespace FhirGateway.Benchmarks;

/// <summary>A realistic stored connection: a ~1 KB JWT access token (as Epic and Cerner issue), a refresh token, scopes, patient.</summary>
internal static class SampleEntries
{
    public const string MasterKey = "benchmark-master-key-0123456789abcdefghijklmnopqrstuvwxyz";

    public static OwnerKey Owner { get; } = OwnerKey.ForSession(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

    public static PlatformConnection Connection { get; } = new()
    {
        PlatformId = "epic",
        AccessToken = Jwt(1024),
        RefreshToken = Convert.ToBase64String(RandomNumberGenerator.GetBytes(96)),
        ExpiresAt = DateTimeOffset.UtcNow.AddHours(1),
        Scope = "openid fhirUser offline_access launch/patient patient/Patient.rs patient/Observation.rs patient/Condition.rs patient/MedicationRequest.rs patient/AllergyIntolerance.rs",
        Patient = "erXuFYUfucBZaryVksYEcMg3",
        FhirUser = "https://fhir.epic.com/interconnect-fhir-oauth/api/FHIR/R4/Patient/erXuFYUfucBZaryVksYEcMg3",
        ConnectedAt = DateTimeOffset.UtcNow,
    };

    private static string Jwt(int length)
    {
        var header = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyIsInR5cCI6IkpXVCJ9";
        var rest = Convert.ToBase64String(RandomNumberGenerator.GetBytes(length)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        return $"{header}.{rest[..(length - header.Length - 300)]}.{rest[^298..]}";
    }
}
