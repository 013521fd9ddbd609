namespace FhirGateway.Core.Tokens;

/// <summary>
/// Whose platform connections these are: a gateway browser session (<c>session:{id}</c>), a gateway key
/// (<c>key:fgk_…</c>, sent by MCP and REST clients alike, so they share one set of connections), and later an
/// authenticated user (<c>user:{issuer-hash}:{sub}</c>). Opaque to the store, which never writes it in clear:
/// Redis keys hold an HMAC of it.
/// </summary>
public readonly record struct OwnerKey
{
    private const string SessionPrefix = "session:";
    private const string GatewayKeyPrefix = "key:";

    private OwnerKey(string value) => Value = value;

    /// <summary>The key, e.g. <c>session:…</c>. A secret: it is as good as the session cookie.</summary>
    public string Value { get; }

    /// <summary>Whether this owner is a browser session, so an OAuth callback must come from that same browser.</summary>
    public bool IsBrowserSession => Value.StartsWith(SessionPrefix, StringComparison.Ordinal);

    /// <summary>The owner for a gateway session id.</summary>
    public static OwnerKey ForSession(string sessionId) => new(SessionPrefix + sessionId);

    /// <summary>
    /// The owner for a gateway key (<c>X-FHIR-Gateway-Key</c>), the identity an MCP client and a REST client share.
    /// Not a browser session: a callback completes its flow without a cookie. Check the key's shape first
    /// (<see cref="Identity.GatewayKey.IsWellFormed"/>).
    /// </summary>
    public static OwnerKey ForGatewayKey(string key) =>
        string.IsNullOrEmpty(key) ? throw new ArgumentException("A gateway key is never empty.", nameof(key)) : new(GatewayKeyPrefix + key);

    /// <summary>Rebuilds a key from <see cref="Value"/> (e.g. read back from a pending authorization).</summary>
    public static OwnerKey Parse(string value) =>
        string.IsNullOrEmpty(value) ? throw new ArgumentException("An owner key is never empty.", nameof(value)) : new(value);

    /// <summary>Never prints the key itself.</summary>
    public override string ToString() => IsBrowserSession ? "session:***" : "owner:***";
}
