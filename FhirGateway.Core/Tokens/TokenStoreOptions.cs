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

    /// <summary>The shortest master key accepted.</summary>
    public const int MinimumMasterKeyLength = 32;

    /// <summary>The session lifetime when <see cref="SessionMaxAgeKey"/> is not set.</summary>
    public static readonly TimeSpan DefaultSessionMaxAge = TimeSpan.FromDays(30);

    /// <summary>The current master key; null in memory means a random per-process key.</summary>
    public string? MasterKey { get; set; }

    /// <summary>Older master keys, read-only.</summary>
    public IList<string> PreviousMasterKeys { get; } = [];

    /// <summary>How long an owner's connections live after their last use.</summary>
    public TimeSpan SessionMaxAge { get; set; } = DefaultSessionMaxAge;

    /// <summary>The raw <see cref="SessionMaxAgeKey"/> value when it could not be read, for the start-up error.</summary>
    internal string? UnreadableSessionMaxAge { get; set; }
}
