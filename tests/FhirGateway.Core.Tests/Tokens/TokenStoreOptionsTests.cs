using FhirGateway.Core.Hosting;
using FhirGateway.Core.Tokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Tests.Tokens;

/// <summary>A wrong token store setting stops start-up, naming the setting.</summary>
public sealed class TokenStoreOptionsTests
{
    private static TokenStoreOptions Resolve(TokenStoreBackend backend, params (string Key, string? Value)[] settings)
    {
        var services = TestSettings.Services(settings.ToDictionary(s => s.Key, s => s.Value), TimeProvider.System);
        services.AddTokenStore(backend);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<TokenStoreOptions>>().Value;
    }

    [Theory]
    [InlineData(TokenStoreBackend.Redis, null, null, null, TokenStoreOptions.MasterKeyKey)]
    [InlineData(TokenStoreBackend.InMemory, "too-short", null, null, TokenStoreOptions.MasterKeyKey)]
    [InlineData(TokenStoreBackend.InMemory, TestSettings.KeyA, "short-old-key", null, TokenStoreOptions.PreviousMasterKeysKey)]
    [InlineData(TokenStoreBackend.InMemory, null, TestSettings.KeyB, null, TokenStoreOptions.PreviousMasterKeysKey)]
    [InlineData(TokenStoreBackend.InMemory, null, null, "thirty days", TokenStoreOptions.SessionMaxAgeKey)]
    [InlineData(TokenStoreBackend.InMemory, null, null, "0", TokenStoreOptions.SessionMaxAgeKey)]
    [InlineData(TokenStoreBackend.InMemory, null, null, "-1.00:00:00", TokenStoreOptions.SessionMaxAgeKey)]
    public void Options_WrongSetting_FailNamingTheSetting(TokenStoreBackend backend, string? key, string? previous, string? maxAge, string named)
    {
        var e = Assert.Throws<OptionsValidationException>(() => Resolve(backend,
            (TokenStoreOptions.MasterKeyKey, key), (TokenStoreOptions.PreviousMasterKeysKey, previous), (TokenStoreOptions.SessionMaxAgeKey, maxAge)));

        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3600", 3600)]
    [InlineData("30.00:00:00", 30 * 86400)]
    [InlineData(null, 30 * 86400)]
    public void Options_SessionMaxAge_ReadsSecondsOrTimeSpan(string? value, int seconds)
    {
        var options = Resolve(TokenStoreBackend.InMemory, (TokenStoreOptions.SessionMaxAgeKey, value));

        Assert.Equal(TimeSpan.FromSeconds(seconds), options.SessionMaxAge);
    }

    [Theory]
    [InlineData("five")]
    [InlineData("2.5")]
    [InlineData("-1")]
    [InlineData("301")]
    public void Options_WrongTokenCacheSeconds_FailNamingTheSetting(string value)
    {
        var e = Assert.Throws<OptionsValidationException>(() => Resolve(TokenStoreBackend.Redis,
            (TokenStoreOptions.MasterKeyKey, TestSettings.KeyA), (TokenStoreOptions.TokenCacheSecondsKey, value)));

        Assert.Contains(TokenStoreOptions.TokenCacheSecondsKey, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("30", 30)]
    [InlineData(null, 5)]
    public void Options_TokenCacheSeconds_ReadsWholeSecondsWithZeroForOff(string? value, int seconds)
    {
        var options = Resolve(TokenStoreBackend.Redis, (TokenStoreOptions.MasterKeyKey, TestSettings.KeyA), (TokenStoreOptions.TokenCacheSecondsKey, value));

        Assert.Equal(TimeSpan.FromSeconds(seconds), options.TokenCacheDuration);
    }

    [Fact]
    public void Options_PreviousKeys_SplitOnCommas()
    {
        var options = Resolve(TokenStoreBackend.Redis,
            (TokenStoreOptions.MasterKeyKey, TestSettings.KeyA), (TokenStoreOptions.PreviousMasterKeysKey, $" {TestSettings.KeyB} ,{TestSettings.KeyB}x"));

        Assert.Equal([TestSettings.KeyB, TestSettings.KeyB + "x"], options.PreviousMasterKeys);
    }

    [Fact]
    public async Task StartAsync_RedisWithoutMasterKey_FailsNamingFhirGatewayMasterKey()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection([new(GatewayCoreExtensions.RedisUrlVariable, "redis://127.0.0.1:1")]);
        builder.AddGatewayCore();
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(CancellationToken.None));

        Assert.Contains(TokenStoreOptions.MasterKeyKey, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_InMemoryWithoutMasterKey_StartsWithStoreThatWorks()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        // The SMART client's one required setting; nothing for the token store.
        builder.Configuration.AddInMemoryCollection([new("FHIR_GATEWAY_PUBLIC_URL", "http://127.0.0.1:5000")]);
        builder.AddGatewayCore();
        using var host = builder.Build();

        await host.StartAsync(CancellationToken.None);

        var store = host.Services.GetRequiredService<ITokenStore>();
        var owner = TestSettings.NewOwner();
        await store.SaveAsync(owner, TestSettings.Connection("epic", DateTimeOffset.UtcNow, "token"));
        Assert.Equal("token", (await store.GetAsync(owner, "epic"))?.AccessToken);
        await host.StopAsync(CancellationToken.None);
    }
}
