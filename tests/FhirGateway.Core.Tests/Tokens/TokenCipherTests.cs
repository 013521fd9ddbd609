using System.Text;
using FhirGateway.Core.Tokens.Protection;

namespace FhirGateway.Core.Tests.Tokens;

/// <summary>The sealed value format: AES-256-GCM under the current key, bound to its slot.</summary>
public sealed class TokenCipherTests
{
    private static readonly byte[] Plaintext = Encoding.UTF8.GetBytes("{\"AccessToken\":\"secret\"}");
    private static readonly byte[] Context = Encoding.UTF8.GetBytes("owner-1|epic");

    private static (OpenResult Result, string Text) Open(TokenCipher cipher, byte[] value, byte[] context)
    {
        var plaintext = new byte[TokenCipher.PlaintextLength(value)];
        var result = cipher.Open(value, context, plaintext);
        return (result, Encoding.UTF8.GetString(plaintext));
    }

    [Fact]
    public void Open_Sealed_ReturnsPlaintext()
    {
        var cipher = new TokenCipher(new TokenKeyRing(TestSettings.KeyA, []));
        var value = cipher.Seal(Plaintext, Context);

        Assert.Equal((OpenResult.Opened, "{\"AccessToken\":\"secret\"}"), Open(cipher, value, Context));
        Assert.Equal(-1, value.AsSpan().IndexOf("secret"u8));
    }

    [Fact]
    public void Seal_SameInputTwice_DiffersByNonce()
    {
        var cipher = new TokenCipher(new TokenKeyRing(TestSettings.KeyA, []));

        Assert.NotEqual(cipher.Seal(Plaintext, Context), cipher.Seal(Plaintext, Context));
    }

    [Fact]
    public async Task Seal_ManyValuesOnSeveralThreads_NoNonceRepeatsAndEachOpens()
    {
        var cipher = new TokenCipher(new TokenKeyRing(TestSettings.KeyA, []));
        // Each thread seals past three of its blocks of drawn nonces, so every refill is crossed.
        var perThread = (3 * TokenCipher.NonceBlock / TokenCipher.NonceSize) + 7;
        var sealedByThread = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(
            () => Enumerable.Range(0, perThread).Select(_ => cipher.Seal(Plaintext, Context)).ToArray(),
            TaskCreationOptions.LongRunning)));
        var values = sealedByThread.SelectMany(v => v).ToArray();

        var nonces = values.Select(v => Convert.ToHexString(v, TokenCipher.HeaderSize, TokenCipher.NonceSize)).ToHashSet();
        Assert.Equal(values.Length, nonces.Count);
        Assert.All(values, v => Assert.Equal(OpenResult.Opened, Open(cipher, v, Context).Result));
    }

    [Fact]
    public void Open_OtherContext_IsTampered()
    {
        var cipher = new TokenCipher(new TokenKeyRing(TestSettings.KeyA, []));
        var value = cipher.Seal(Plaintext, Context);

        Assert.Equal(OpenResult.Tampered, Open(cipher, value, Encoding.UTF8.GetBytes("owner-2|epic")).Result);
    }

    [Fact]
    public void Open_KeyIdRelabelledToAnotherKnownKey_IsTampered()
    {
        var cipher = new TokenCipher(new TokenKeyRing(TestSettings.KeyA, [TestSettings.KeyB]));
        var value = cipher.Seal(Plaintext, Context);

        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(value.AsSpan(1, 4), new TokenKey(TestSettings.KeyB).Id);

        Assert.Equal(OpenResult.Tampered, Open(cipher, value, Context).Result);
    }

    [Fact]
    public void Open_UnknownKeyId_IsUnknownKey()
    {
        var value = new TokenCipher(new TokenKeyRing(TestSettings.KeyA, [])).Seal(Plaintext, Context);

        Assert.Equal(OpenResult.UnknownKey, Open(new TokenCipher(new TokenKeyRing(TestSettings.KeyB, [])), value, Context).Result);
    }

    [Fact]
    public void Open_TruncatedOrOtherVersion_IsMalformed()
    {
        var cipher = new TokenCipher(new TokenKeyRing(TestSettings.KeyA, []));
        var value = cipher.Seal(Plaintext, Context);
        var otherVersion = (byte[])value.Clone();
        otherVersion[0] = 2;

        Assert.Equal(OpenResult.Malformed, Open(cipher, value[..20], Context).Result);
        Assert.Equal(OpenResult.Malformed, Open(cipher, otherVersion, Context).Result);
    }

    [Fact]
    public void TokenKey_DifferentMasterKeys_HaveDifferentIdsAndKeys()
    {
        var a = new TokenKey(TestSettings.KeyA);
        var b = new TokenKey(TestSettings.KeyB);

        Assert.NotEqual(a.Id, b.Id);
        Assert.NotEqual(a.EncryptionKey, b.EncryptionKey);
        Assert.NotEqual(a.EncryptionKey, a.NameKey);
        Assert.Equal(a.Id, new TokenKey(TestSettings.KeyA).Id);
    }
}
