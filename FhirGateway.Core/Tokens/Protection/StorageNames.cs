using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace FhirGateway.Core.Tokens.Protection;

/// <summary>
/// Storage names that hold no secret in clear: <c>fhirgw:{kind}:{base64url(HMAC-SHA256(name key, context))}</c>,
/// the name key derived from the master key. After a rotation the older keys' names are still offered so
/// existing sessions are found (and moved under the current name).
/// </summary>
internal sealed class StorageNames(TokenKeyRing keys)
{
    public const string Prefix = "fhirgw:";

    // A keyed HMAC per thread: one-shot HMACSHA256.HashData sets the key up on every call, which cost more than the
    // rest of a cached Get. GetHashAndReset returns the instance to its keyed start.
    [ThreadStatic]
    private static TokenKey? t_key;

    [ThreadStatic]
    private static IncrementalHash? t_hmac;

    private const string ConnectionsPrefix = Prefix + "conn:";

    /// <summary>
    /// The names asked for on every request (an owner's connections, a cache entry): an HMAC costs about a microsecond
    /// and a half through OpenSSL, a lookup a few dozen nanoseconds.
    /// </summary>
    private readonly BoundedMemo<NameInput, string> _names = new(100_000, Name);

    public const string EventsChannel = Prefix + "events";

    /// <summary>Where the Save and Remove scripts publish <see cref="CacheEntry"/> of what they changed.</summary>
    public const string InvalidationChannel = Prefix + "invalidate";

    public string Connections(OwnerKey owner) => _names[new(ConnectionsPrefix, keys.Current, EntryContext.Connection, owner.Value, null)];

    /// <summary>The owner's connection names under every key, current first.</summary>
    public string[] ConnectionsUnderAllKeys(OwnerKey owner) => [.. keys.All.Select(k => Connections(owner, k))];

    public string Pending(string state) => Pending(state, keys.Current);

    /// <summary>The state's names under every key, current first.</summary>
    public string[] PendingUnderAllKeys(string state) => [.. keys.All.Select(k => Pending(state, k))];

    public string Lock(OwnerKey owner, string platformId) =>
        Prefix + "lock:" + Hash(keys.Current, EntryContext.Lock, owner.Value, platformId);

    /// <summary>The owner as events carry it: an HMAC, not a storage name.</summary>
    public string EventOwner(OwnerKey owner) => Hash(keys.Current, EntryContext.EventOwner, owner.Value, null);

    /// <summary>
    /// One owner's connection to one platform as the token cache and its invalidations name it: an HMAC under the
    /// current key (replicas share it), so a message on <see cref="InvalidationChannel"/> names no owner.
    /// </summary>
    public string CacheEntry(OwnerKey owner, string platformId) => _names[new("", keys.Current, EntryContext.CacheEntry, owner.Value, platformId)];

    private static string Connections(OwnerKey owner, TokenKey key) => Name(new(ConnectionsPrefix, key, EntryContext.Connection, owner.Value, null));

    private static string Pending(string state, TokenKey key) =>
        Prefix + "pending:" + Hash(key, EntryContext.Pending, state, null);

    private static string Name(NameInput input) => input.Prefix + Hash(input.Key, input.Purpose, input.First, input.Second);

    private static string Hash(TokenKey key, byte purpose, string first, string? second)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(EntryContext.MaxLength(first, second));
        try
        {
            var length = EntryContext.Write(buffer, purpose, first, second);
            Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
            var hmac = ForThread(key);
            hmac.AppendData(buffer, 0, length);
            hmac.GetHashAndReset(mac);
            return Base64Url.EncodeToString(mac);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }

    /// <summary>What a name is computed from; the key compares by reference (one instance per key in the ring).</summary>
    private readonly record struct NameInput(string Prefix, TokenKey Key, byte Purpose, string First, string? Second);

    private static IncrementalHash ForThread(TokenKey key)
    {
        if (!ReferenceEquals(t_key, key) || t_hmac is null)
        {
            t_hmac?.Dispose();
            t_hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key.NameKey);
            t_key = key;
        }

        return t_hmac;
    }
}
