using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace FhirGateway.Core.Tokens.Protection;

/// <summary>The current key (every write) and the older ones (reads only), found by the id a value carries.</summary>
internal sealed class TokenKeyRing
{
    private readonly Dictionary<uint, TokenKey> _byId = [];

    public TokenKeyRing(string masterKey, IEnumerable<string> previousMasterKeys, bool isEphemeral = false)
    {
        Current = new TokenKey(masterKey);
        var all = new List<TokenKey> { Current };
        _byId[Current.Id] = Current;
        foreach (var previous in previousMasterKeys)
        {
            var key = new TokenKey(previous);
            if (_byId.TryAdd(key.Id, key))
            {
                all.Add(key);
            }
        }

        All = all;
        IsEphemeral = isEphemeral;
    }

    public TokenKey Current { get; }

    /// <summary>The current key first, then the older ones in configured order.</summary>
    public IReadOnlyList<TokenKey> All { get; }

    /// <summary>True when no master key was configured and a random one made for this process.</summary>
    public bool IsEphemeral { get; }

    public bool TryGet(uint id, [NotNullWhen(true)] out TokenKey? key) => _byId.TryGetValue(id, out key);

    public static TokenKeyRing FromOptions(TokenStoreOptions options) => options.MasterKey is { } masterKey
        ? new TokenKeyRing(masterKey, options.PreviousMasterKeys)
        : new TokenKeyRing(Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)), [], isEphemeral: true);
}
