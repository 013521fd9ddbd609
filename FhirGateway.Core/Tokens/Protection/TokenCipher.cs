using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace FhirGateway.Core.Tokens.Protection;

/// <summary>
/// AES-256-GCM over a stored value: <c>version(1) | key id(4, big-endian) | nonce(12) | tag(16) | ciphertext</c>.
/// The associated data is the header and the value's <see cref="EntryContext"/>, so a value copied into another
/// owner's or state's slot, or relabelled with another key id, fails to open. Nonces are random (96 bits), well
/// within NIST SP 800-38D's 2^32 messages per key for a token store; each thread draws them from the system's
/// generator <see cref="NonceBlock"/> bytes at a time and uses every byte once (<see cref="NextNonce"/>).
/// </summary>
internal sealed class TokenCipher(TokenKeyRing keys)
{
    public const byte FormatVersion = 1;
    internal const int HeaderSize = 5;
    internal const int NonceSize = 12;
    private const int TagSize = 16;
    private const int Overhead = HeaderSize + NonceSize + TagSize;
    private const int StackLimit = 512;

    /// <summary>
    /// Random bytes a thread draws at once for its nonces: 256 of them. <see cref="RandomNumberGenerator.Fill(Span{byte})"/>
    /// makes a system call each time on Linux (OpenSSL checks the process id before every draw), 3.2 of a seal's 7.6 µs
    /// on the benchmark's VM when it was called for each nonce (bench/HISTORY.md, nineteenth session).
    /// </summary>
    internal const int NonceBlock = NonceSize * 256;

    // An AesGcm per thread and key: setting up the key schedule costs about as much as sealing a 1 KB token, and an
    // instance must not be used by two threads at once. After a rotation a thread alternating keys rebuilds it.
    [ThreadStatic]
    private static TokenKey? t_key;

    [ThreadStatic]
    private static AesGcm? t_aes;

    [ThreadStatic]
    private static byte[]? t_nonces;

    /// <summary>Where this thread's next unused nonce starts in <see cref="t_nonces"/>.</summary>
    [ThreadStatic]
    private static int t_nonceOffset;

    public static int PlaintextLength(ReadOnlySpan<byte> value) => Math.Max(0, value.Length - Overhead);

    public byte[] Seal(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> context)
    {
        var key = keys.Current;
        var output = new byte[Overhead + plaintext.Length];
        output[0] = FormatVersion;
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(1, 4), key.Id);
        var nonce = output.AsSpan(HeaderSize, NonceSize);
        NextNonce(nonce);

        var aadLength = HeaderSize + context.Length;
        byte[]? rented = null;
        var aad = aadLength <= StackLimit ? stackalloc byte[aadLength] : (rented = ArrayPool<byte>.Shared.Rent(aadLength)).AsSpan(0, aadLength);
        try
        {
            output.AsSpan(0, HeaderSize).CopyTo(aad);
            context.CopyTo(aad[HeaderSize..]);
            ForThread(key).Encrypt(nonce, plaintext, output.AsSpan(Overhead), output.AsSpan(HeaderSize + NonceSize, TagSize), aad);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        return output;
    }

    /// <summary>Decrypts into <paramref name="plaintext"/>, which holds <see cref="PlaintextLength"/> bytes.</summary>
    public OpenResult Open(ReadOnlySpan<byte> value, ReadOnlySpan<byte> context, Span<byte> plaintext)
    {
        if (value.Length < Overhead || value[0] != FormatVersion)
        {
            return OpenResult.Malformed;
        }

        if (!keys.TryGet(BinaryPrimitives.ReadUInt32BigEndian(value.Slice(1, 4)), out var key))
        {
            return OpenResult.UnknownKey;
        }

        var aadLength = HeaderSize + context.Length;
        byte[]? rented = null;
        var aad = aadLength <= StackLimit ? stackalloc byte[aadLength] : (rented = ArrayPool<byte>.Shared.Rent(aadLength)).AsSpan(0, aadLength);
        try
        {
            value[..HeaderSize].CopyTo(aad);
            context.CopyTo(aad[HeaderSize..]);
            ForThread(key).Decrypt(value.Slice(HeaderSize, NonceSize), value[Overhead..], value.Slice(HeaderSize + NonceSize, TagSize), plaintext[..(value.Length - Overhead)], aad);
            return OpenResult.Opened;
        }
        catch (AuthenticationTagMismatchException)
        {
            return OpenResult.Tampered;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// The next <see cref="NonceSize"/> random bytes of this thread's block, each used once; a new block from the
    /// system's generator when this one is used up. A nonce is written in the clear beside the ciphertext, so holding
    /// the next ones in memory gives nothing away; what GCM needs is that none repeats under a key.
    /// </summary>
    private static void NextNonce(Span<byte> nonce)
    {
        var block = t_nonces;
        var offset = t_nonceOffset;
        if (block is null || offset == NonceBlock)
        {
            block = t_nonces ??= new byte[NonceBlock];
            RandomNumberGenerator.Fill(block);
            offset = 0;
        }

        block.AsSpan(offset, NonceSize).CopyTo(nonce);
        t_nonceOffset = offset + NonceSize;
    }

    private static AesGcm ForThread(TokenKey key)
    {
        if (!ReferenceEquals(t_key, key) || t_aes is null)
        {
            t_aes?.Dispose();
            t_aes = new AesGcm(key.EncryptionKey, TagSize);
            t_key = key;
        }

        return t_aes;
    }
}
