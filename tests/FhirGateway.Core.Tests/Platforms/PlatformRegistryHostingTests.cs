using FhirGateway.Core.Platforms;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Tests.Platforms;

/// <summary>The registry is built when the host starts: a wrong folder or a broken file stops start-up.</summary>
public sealed class PlatformRegistryHostingTests
{
    private static IHost Build(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.Services.AddPlatformRegistry();
        return builder.Build();
    }

    [Fact]
    public async Task StartAsync_DefaultPath_LoadsCopiedPlatforms()
    {
        using var host = Build();

        await host.StartAsync(CancellationToken.None);

        Assert.True(host.Services.GetRequiredService<IPlatformRegistry>().TryGet("local-sandbox", out _));
        await host.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task StartAsync_MissingFolder_FailsNamingTheSetting()
    {
        using var host = Build((PlatformRegistryOptions.PathKey, Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))));

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(CancellationToken.None));

        Assert.Contains(PlatformRegistryOptions.PathKey, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_BrokenFile_FailsNamingTheFile()
    {
        using var folder = new TempPlatformFolder().With("acme.json", TempPlatformFolder.Valid("acme").Replace("\"payer\"", "\"bank\"", StringComparison.Ordinal));
        using var host = Build((PlatformRegistryOptions.PathKey, folder.Path));

        var e = await Assert.ThrowsAsync<PlatformRegistryException>(() => host.StartAsync(CancellationToken.None));

        Assert.Contains("acme.json: /type", e.Message, StringComparison.Ordinal);
    }
}
