using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace FhirGateway.Core.Tokens.Protection;

/// <summary>
/// Turns entries into sealed bytes and back (JSON, then <see cref="TokenCipher"/>). A value that cannot be opened
/// (unknown key id, altered, or in another slot) reads as absent, with a warning that names no secret: the user is
/// asked to authorize again instead of every request failing until someone deletes the value.
/// </summary>
internal sealed partial class TokenSealer(TokenCipher cipher, ILogger<TokenSealer> logger)
{
    public byte[] Seal(OwnerKey owner, PlatformConnection connection) =>
        Seal(connection, TokenStoreJsonContext.Default.PlatformConnection, EntryContext.Connection, owner.Value, connection.PlatformId);

    public byte[] Seal(PendingAuthorization pending) =>
        Seal(pending, TokenStoreJsonContext.Default.PendingAuthorization, EntryContext.Pending, pending.State, null);

    public PlatformConnection? OpenConnection(OwnerKey owner, string platformId, ReadOnlySpan<byte> value) =>
        Open(value, PlatformConnectionReader.Read, EntryContext.Connection, owner.Value, platformId);

    public PendingAuthorization? OpenPending(string state, ReadOnlySpan<byte> value) =>
        Open(value, static json => JsonSerializer.Deserialize(json, TokenStoreJsonContext.Default.PendingAuthorization), EntryContext.Pending, state, null);

    private byte[] Seal<T>(T entry, JsonTypeInfo<T> typeInfo, byte purpose, string first, string? second)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(entry, typeInfo);
        var context = ArrayPool<byte>.Shared.Rent(EntryContext.MaxLength(first, second));
        try
        {
            var length = EntryContext.Write(context, purpose, first, second);
            return cipher.Seal(json, context.AsSpan(0, length));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(json);
            ArrayPool<byte>.Shared.Return(context, clearArray: true);
        }
    }

    private T? Open<T>(ReadOnlySpan<byte> value, EntryReader<T> read, byte purpose, string first, string? second)
        where T : class
    {
        var context = ArrayPool<byte>.Shared.Rent(EntryContext.MaxLength(first, second));
        var plaintextLength = TokenCipher.PlaintextLength(value);
        var plaintext = ArrayPool<byte>.Shared.Rent(Math.Max(1, plaintextLength));
        try
        {
            var contextLength = EntryContext.Write(context, purpose, first, second);
            var result = cipher.Open(value, context.AsSpan(0, contextLength), plaintext);
            if (result != OpenResult.Opened)
            {
                LogUnreadable(logger, purpose == EntryContext.Pending ? "pending authorization" : "connection", result);
                return null;
            }

            return read(plaintext.AsSpan(0, plaintextLength));
        }
        catch (JsonException)
        {
            LogUnreadable(logger, typeof(T).Name, OpenResult.Malformed);
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(context, clearArray: true);
            ArrayPool<byte>.Shared.Return(plaintext, clearArray: true);
        }
    }

    /// <summary>Reads an opened entry's JSON (the bytes are cleared once it returns).</summary>
    private delegate T? EntryReader<T>(ReadOnlySpan<byte> json);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning,
        Message = "A stored {Entry} could not be read ({Reason}) and is treated as absent. UnknownKey: the master key that wrote it is not in FHIR_GATEWAY_MASTER_KEY or FHIR_GATEWAY_MASTER_KEYS.")]
    private static partial void LogUnreadable(ILogger logger, string entry, OpenResult reason);
}
