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
    public const string EventsChannel = Prefix + "events";

    public string Connections(OwnerKey owner) => Connections(owner, keys.Current);

    /// <summary>The owner's connection names under every key, current first.</summary>
    public string[] ConnectionsUnderAllKeys(OwnerKey owner) => [.. keys.All.Select(k => Connections(owner, k))];

    public string Pending(string state) => Pending(state, keys.Current);

    /// <summary>The state's names under every key, current first.</summary>
    public string[] PendingUnderAllKeys(string state) => [.. keys.All.Select(k => Pending(state, k))];

    public string Lock(OwnerKey owner, string platformId) =>
        Prefix + "lock:" + Hash(keys.Current, EntryContext.Lock, owner.Value, platformId);

    /// <summary>The owner as events carry it: an HMAC, not a storage name.</summary>
    public string EventOwner(OwnerKey owner) => Hash(keys.Current, EntryContext.EventOwner, owner.Value, null);

    private static string Connections(OwnerKey owner, TokenKey key) =>
        Prefix + "conn:" + Hash(key, EntryContext.Connection, owner.Value, null);

    private static string Pending(string state, TokenKey key) =>
        Prefix + "pending:" + Hash(key, EntryContext.Pending, state, null);

    private static string Hash(TokenKey key, byte purpose, string first, string? second)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(EntryContext.MaxLength(first, second));
        try
        {
            var length = EntryContext.Write(buffer, purpose, first, second);
            Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(key.NameKey, buffer.AsSpan(0, length), mac);
            return Base64Url.EncodeToString(mac);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }
}
