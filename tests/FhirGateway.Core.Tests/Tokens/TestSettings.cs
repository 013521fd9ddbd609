using FhirGateway.Core.Tokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FhirGateway.Core.Tests.Tokens;

/// <summary>Master keys and a service collection configured as the environment would.</summary>
public static class TestSettings
{
    public const string KeyA = "test-master-key-A-0123456789abcdefghijklmnopqrstuvwxyz";
    public const string KeyB = "test-master-key-B-0123456789abcdefghijklmnopqrstuvwxyz";

    public static Dictionary<string, string?> WithKey(string key = KeyA, string? previous = null, TimeSpan? sessionMaxAge = null) => new()
    {
        [TokenStoreOptions.MasterKeyKey] = key,
        [TokenStoreOptions.PreviousMasterKeysKey] = previous,
        [TokenStoreOptions.SessionMaxAgeKey] = sessionMaxAge is { } age ? ((long)age.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
    };

    public static ServiceCollection Services(IReadOnlyDictionary<string, string?> settings, TimeProvider time)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSingleton(time);
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        return services;
    }

    public static OwnerKey NewOwner() => OwnerKey.ForSession(Guid.NewGuid().ToString("N"));

    public static PlatformConnection Connection(string platformId, DateTimeOffset now, string? accessToken = null) => new()
    {
        PlatformId = platformId,
        AccessToken = accessToken ?? "at-" + Guid.NewGuid().ToString("N"),
        RefreshToken = "rt-" + Guid.NewGuid().ToString("N"),
        ExpiresAt = now.AddHours(1),
        Scope = "openid fhirUser offline_access patient/*.rs",
        Patient = "Patient/123",
        FhirUser = "Patient/123",
        ConnectedAt = now,
    };

    public static PendingAuthorization Pending(OwnerKey owner, DateTimeOffset now, TimeSpan lifetime, string? state = null) => new()
    {
        State = state ?? "state-" + Guid.NewGuid().ToString("N"),
        PlatformId = "local-sandbox",
        Owner = owner.Value,
        CodeVerifier = "verifier-" + Guid.NewGuid().ToString("N"),
        RedirectUri = "http://127.0.0.1:5000/auth/callback",
        Audience = "http://127.0.0.1:8080/fhir",
        Scope = "openid fhirUser",
        Nonce = "nonce-1",
        CreatedAt = now,
        ExpiresAt = now + lifetime,
    };
}
