namespace FhirGateway.Core.Tokens;

/// <summary>
/// How the token store protects and keeps its entries. Bound from flat configuration keys (environment variables)
/// and validated at start: a wrong value stops start-up with a message naming the setting.
/// </summary>
public sealed class TokenStoreOptions
{
    /// <summary>The current master key (at least 32 characters): every write is encrypted under it. Required with Redis.</summary>
    public const string MasterKeyKey = "FHIR_GATEWAY_MASTER_KEY";

    /// <summary>Older master keys, comma-separated, used only to read entries written before a rotation.</summary>
    public const string PreviousMasterKeysKey = "FHIR_GATEWAY_MASTER_KEYS";

    /// <summary>The sliding session lifetime: whole seconds, or a TimeSpan such as <c>30.00:00:00</c>.</summary>
    public const string SessionMaxAgeKey = "FHIR_GATEWAY_SESSION_MAX_AGE";

    /// <summary>
    /// Seconds a replica serves a decrypted connection from memory instead of Redis; 0 turns the cache off. Changes
    /// reach every replica's cache through Redis pub/sub at once. The in-memory store keeps a read connection
    /// decrypted as long (every write replaces it there, so it is never stale).
    /// </summary>
    public const string TokenCacheSecondsKey = "FHIR_GATEWAY_TOKEN_CACHE_SECONDS";

    /// <summary>The longest token cache accepted: the cache is for bursts of requests, not a second store.</summary>
    public const int MaximumTokenCacheSeconds = 300;

    /// <summary>The shortest master key accepted.</summary>
    public const int MinimumMasterKeyLength = 32;

    /// <summary>The session lifetime when <see cref="SessionMaxAgeKey"/> is not set.</summary>
    public static readonly TimeSpan DefaultSessionMaxAge = TimeSpan.FromDays(30);

    /// <summary>The token cache's lifetime when <see cref="TokenCacheSecondsKey"/> is not set.</summary>
    public static readonly TimeSpan DefaultTokenCacheDuration = TimeSpan.FromSeconds(5);

    /// <summary>The current master key; null in memory means a random per-process key.</summary>
    public string? MasterKey { get; set; }

    /// <summary>Older master keys, read-only.</summary>
    public IList<string> PreviousMasterKeys { get; } = [];

    /// <summary>How long an owner's connections live after their last use.</summary>
    public TimeSpan SessionMaxAge { get; set; } = DefaultSessionMaxAge;

    /// <summary>How long a decrypted connection is served from memory; zero turns the cache off.</summary>
    public TimeSpan TokenCacheDuration { get; set; } = DefaultTokenCacheDuration;

    /// <summary>The raw <see cref="TokenCacheSecondsKey"/> value when it is not whole seconds, for the start-up error.</summary>
    internal string? UnreadableTokenCacheSeconds { get; set; }

    /// <summary>The raw <see cref="SessionMaxAgeKey"/> value when it could not be read, for the start-up error.</summary>
    internal string? UnreadableSessionMaxAge { get; set; }
}
