using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using FhirGateway.Core.Tokens;
using Microsoft.Extensions.Primitives;

namespace FhirGateway.Core.Identity;

/// <summary>
/// The gateway key: <c>fgk_</c> and 43 base64url characters (256 random bits), sent as
/// <c>X-FHIR-Gateway-Key</c> by MCP and REST clients alike. Whoever holds it owns its platform connections, so a
/// person's MCP agent and REST app share them. It is unguessable and bound to nothing else: never an MCP session
/// id, never an upstream token. A request that sends a malformed key is refused, never served as someone else.
/// </summary>
public static class GatewayKey
{
    /// <summary>The request header that carries the key.</summary>
    public const string HeaderName = "X-FHIR-Gateway-Key";

    /// <summary>Every key starts with this, so a leaked one is recognizable (e.g. by secret scanners).</summary>
    public const string Prefix = "fgk_";

    private const int RandomBytes = 32;
    private const int EncodedLength = 43; // 32 bytes in base64url without padding

    private static readonly SearchValues<char> Base64UrlAlphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>The base64url characters whose value is a multiple of 4 (low 2 bits zero).</summary>
    private static readonly SearchValues<char> LastCharacters = SearchValues.Create("AEIMQUYcgkosw048");

    /// <summary>A new key from 256 bits of the OS's cryptographic random number generator.</summary>
    public static string Create() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));

    /// <summary>Whether <paramref name="key"/> has exactly the shape <see cref="Create"/> gives.</summary>
    public static bool IsWellFormed(string? key) =>
        key is not null
        && key.Length == Prefix.Length + EncodedLength
        && key.StartsWith(Prefix, StringComparison.Ordinal)
        && !key.AsSpan(Prefix.Length).ContainsAnyExcept(Base64UrlAlphabet)
        // 43 characters carry 258 bits: the last one's 2 spare bits must be zero (RFC 4648 §3.5), so each key
        // has one spelling.
        && LastCharacters.Contains(key[^1]);

    /// <summary>The owner for a well-formed key.</summary>
    /// <exception cref="InvalidGatewayKeyException">The key is malformed.</exception>
    public static OwnerKey ToOwner(string key) =>
        IsWellFormed(key) ? OwnerKey.ForGatewayKey(key) : throw new InvalidGatewayKeyException();

    /// <summary>
    /// The owner named by the request's <see cref="HeaderName"/> values: null when the header is absent; the
    /// key's owner when it is one well-formed key.
    /// </summary>
    /// <exception cref="InvalidGatewayKeyException">The header is empty, repeated or malformed.</exception>
    public static OwnerKey? FromHeader(StringValues values) => values.Count switch
    {
        0 => null,
        1 => ToOwner(values[0]!.Trim()),
        _ => throw new InvalidGatewayKeyException(),
    };
}
