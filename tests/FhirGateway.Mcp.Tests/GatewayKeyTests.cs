using FhirGateway.Core.Identity;
using FhirGateway.Core.Tokens;
using Microsoft.Extensions.Primitives;

namespace FhirGateway.Mcp.Tests;

/// <summary>The gateway key's shape (Core, shared by both front-ends).</summary>
public sealed class GatewayKeyTests
{
    [Fact]
    public void Create_Always_GivesDistinctWellFormedKeys()
    {
        var keys = Enumerable.Range(0, 1000).Select(_ => GatewayKey.Create()).ToList();

        Assert.All(keys, k => Assert.True(GatewayKey.IsWellFormed(k), k));
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.All(keys, k => Assert.Equal(47, k.Length));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("fgk_")]
    [InlineData("FGK_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("fgk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("fgk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("fgk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")]
    [InlineData("fgk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")]
    public void IsWellFormed_NotAKeyCreateGives_IsFalse(string? key) => Assert.False(GatewayKey.IsWellFormed(key));

    [Fact]
    public void FromHeader_OneKey_IsThatKeysOwnerAndNotABrowserSession()
    {
        var key = GatewayKey.Create();

        var owner = GatewayKey.FromHeader(new StringValues(key));

        Assert.Equal(OwnerKey.ForGatewayKey(key), owner);
        Assert.False(owner!.Value.IsBrowserSession);
        Assert.DoesNotContain(key, owner.Value.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void FromHeader_Absent_IsNullAndTwoKeysAreRefused()
    {
        Assert.Null(GatewayKey.FromHeader(StringValues.Empty));
        Assert.Throws<InvalidGatewayKeyException>(() => GatewayKey.FromHeader(new StringValues([GatewayKey.Create(), GatewayKey.Create()])));
    }
}
