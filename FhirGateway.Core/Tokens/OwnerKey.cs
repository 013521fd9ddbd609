using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace FhirGateway.Core.Tokens;

/// <summary>
/// Whose platform connections these are: a gateway browser session (<c>session:{id}</c>), a gateway key
/// (<c>key:fgk_…</c>, sent by MCP and REST clients alike, so they share one set of connections), and an
/// authenticated user (<c>user:{issuer-hash}:{sub}</c>, from a validated OpenID Connect bearer token). Opaque to the store, which never writes it in clear:
/// Redis keys hold an HMAC of it.
/// </summary>
public readonly record struct OwnerKey
{
    private const string SessionPrefix = "session:";
    private const string GatewayKeyPrefix = "key:";
    private const string UserPrefix = "user:";

    private OwnerKey(string value) => Value = value;

    /// <summary>The key, e.g. <c>session:…</c>. A secret: it is as good as the session cookie.</summary>
    public string Value { get; }

    /// <summary>Whether this owner is a browser session, so an OAuth callback must come from that same browser.</summary>
    public bool IsBrowserSession => Value.StartsWith(SessionPrefix, StringComparison.Ordinal);

    /// <summary>The owner for a gateway session id.</summary>
    public static OwnerKey ForSession(string sessionId) => new(SessionPrefix + sessionId);

    /// <summary>
    /// The owner for a gateway session id read in place (from a cookie header): the same key as
    /// <see cref="ForSession(string)"/>, kept per id, so a returning session makes no string.
    /// </summary>
    public static OwnerKey ForSession(ReadOnlySpan<char> sessionId) =>
        Sessions.TryGet(sessionId, out var owner) ? owner : Sessions[sessionId.ToString()];

    private static readonly BoundedMemo<string, OwnerKey> Sessions = new(100_000, static id => ForSession(id));

    /// <summary>
    /// The owner for a gateway key (<c>X-FHIR-Gateway-Key</c>), the identity an MCP client and a REST client share.
    /// Not a browser session: a callback completes its flow without a cookie. Check the key's shape first
    /// (<see cref="Identity.GatewayKey.IsWellFormed"/>).
    /// </summary>
    public static OwnerKey ForGatewayKey(string key) =>
        string.IsNullOrEmpty(key) ? throw new ArgumentException("A gateway key is never empty.", nameof(key)) : new(GatewayKeyPrefix + key);

    /// <summary>
    /// The owner for an authenticated user: <c>user:{hash(issuer)}:{sub}</c>. A <c>sub</c> is unique only within
    /// its issuer (OpenID Connect Core 1.0 §2), so the issuer is part of the key; hashed, so the key stays short.
    /// Not a browser session: the user's flows complete without a cookie, like a gateway key's.
    /// </summary>
    public static OwnerKey ForUser(string issuer, string subject)
    {
        ArgumentException.ThrowIfNullOrEmpty(issuer);
        ArgumentException.ThrowIfNullOrEmpty(subject);
        return new(string.Concat(UserPrefix, IssuerHashes[issuer], ":", subject));
    }

    /// <summary>Kept per issuer: every request with a bearer token asks.</summary>
    private static readonly BoundedMemo<string, string> IssuerHashes = new(100, static issuer =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(issuer)).AsSpan(0, 12)));

    /// <summary>Whether this owner is an authenticated user (<see cref="ForUser"/>).</summary>
    public bool IsUser => Value.StartsWith(UserPrefix, StringComparison.Ordinal);

    /// <summary>Rebuilds a key from <see cref="Value"/> (e.g. read back from a pending authorization).</summary>
    public static OwnerKey Parse(string value) =>
        string.IsNullOrEmpty(value) ? throw new ArgumentException("An owner key is never empty.", nameof(value)) : new(value);

    /// <summary>
    /// The first 16 hex digits of SHA-256 of the key: stable per owner and useless to replay, for audit events and
    /// rate-limit partitions, which must tell owners apart without holding their keys.
    /// </summary>
    /// <remarks>Kept per key: every audited request asks.</remarks>
    public string Pseudonym => Pseudonyms[Value];

    private static readonly BoundedMemo<string, string> Pseudonyms = new(100_000, static value =>
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(value), hash);
        return Convert.ToHexStringLower(hash[..8]);
    });

    /// <summary>Never prints the key itself.</summary>
    public override string ToString() => IsBrowserSession ? "session:***" : "owner:***";
}
