using System.Buffers.Binary;
using System.Text;

namespace FhirGateway.Core.Tokens.Protection;

/// <summary>
/// What a value is bound to: a purpose and the strings that name its slot (owner and platform, or state),
/// length-prefixed so no two slots encode alike. Used as AES-GCM associated data and as HMAC input.
/// </summary>
internal static class EntryContext
{
    public const byte Connection = 1;
    public const byte Pending = 2;
    public const byte Lock = 3;
    public const byte EventOwner = 4;
    public const byte CacheEntry = 5;

    public static int MaxLength(string first, string? second) =>
        1 + 4 + Encoding.UTF8.GetMaxByteCount(first.Length) + 4 + Encoding.UTF8.GetMaxByteCount(second?.Length ?? 0);

    /// <summary>Writes the context into <paramref name="destination"/> and returns its length.</summary>
    public static int Write(Span<byte> destination, byte purpose, string first, string? second)
    {
        destination[0] = purpose;
        var length = 1;
        length += WriteString(destination[length..], first);
        length += WriteString(destination[length..], second ?? string.Empty);
        return length;
    }

    private static int WriteString(Span<byte> destination, string value)
    {
        var written = Encoding.UTF8.GetBytes(value, destination[4..]);
        BinaryPrimitives.WriteInt32BigEndian(destination, written);
        return 4 + written;
    }
}
