using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace FhirGateway.Core.Tokens.Protection;

/// <summary>
/// The keys derived from one master key with HKDF-SHA256 (RFC 5869): the AES-256-GCM key, the HMAC key for
/// storage names, and a 32-bit key id that each value carries so a rotated-out key can still be found for reading.
/// The id is an HKDF output of its own, so it tells nothing about the keys.
/// </summary>
internal sealed class TokenKey
{
    private static readonly byte[] Salt = "fhirgw/token-store/v1"u8.ToArray();

    public TokenKey(string masterKey)
    {
        var ikm = Encoding.UTF8.GetBytes(masterKey);
        try
        {
            EncryptionKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 32, Salt, "aes-256-gcm"u8.ToArray());
            NameKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 32, Salt, "storage-names"u8.ToArray());
            Span<byte> id = stackalloc byte[4];
            HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, id, Salt, "key-id"u8);
            Id = BinaryPrimitives.ReadUInt32BigEndian(id);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ikm);
        }
    }

    /// <summary>Written in clear in every value's header.</summary>
    public uint Id { get; }

    public byte[] EncryptionKey { get; }

    public byte[] NameKey { get; }
}
