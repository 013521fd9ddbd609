using System.Net;
using FhirGateway.Core.Auth;
using FhirGateway.Core.Errors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Tests.Auth;

/// <summary>Settings and platform checks that need no sandbox.</summary>
public sealed class SmartAuthConfigurationTests
{
    private static readonly Dictionary<string, string?> Minimal = new() { [SmartAuthOptions.PublicUrlKey] = AuthHarness.PublicUrl };

    [Fact]
    public async Task Options_NoPublicUrlNorRedirectUri_FailNamingBoth()
    {
        await using var gateway = AuthHarness.Create(new Dictionary<string, string?>());

        var e = Assert.Throws<OptionsValidationException>(() => gateway.Services.GetRequiredService<IOptions<SmartAuthOptions>>().Value);

        Assert.Contains(SmartAuthOptions.PublicUrlKey, e.Message, StringComparison.Ordinal);
        Assert.Contains(SmartAuthOptions.RedirectUriKey, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_RedirectUriSet_WinsOverPublicUrl()
    {
        await using var gateway = AuthHarness.Create(new Dictionary<string, string?>
        {
            [SmartAuthOptions.PublicUrlKey] = "https://gateway.example.test/",
            [SmartAuthOptions.RedirectUriKey] = "https://gateway.example.test/custom/callback",
        });

        var options = gateway.Services.GetRequiredService<IOptions<SmartAuthOptions>>().Value;

        Assert.Equal("https://gateway.example.test/custom/callback", options.RedirectUri);
        Assert.Equal("https://gateway.example.test/auth/epic/login", options.LoginUrl("epic"));
    }

    [Fact]
    public async Task Options_DevelopmentWithoutSettings_DefaultsToLocalCallback()
    {
        await using var gateway = AuthHarness.Create(new Dictionary<string, string?>(), configureServices: services =>
            services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Development }));

        var options = gateway.Services.GetRequiredService<IOptions<SmartAuthOptions>>().Value;

        Assert.Equal("http://localhost:5080/oauth/callback", options.RedirectUri);
        Assert.True(options.UsesDevelopmentDefault);
    }

    [Fact]
    public async Task Options_BadTimeout_FailNamingTheSetting()
    {
        await using var gateway = AuthHarness.Create(new Dictionary<string, string?>(Minimal) { [SmartAuthOptions.HttpTimeoutKey] = "soon" });

        var e = Assert.Throws<OptionsValidationException>(() => gateway.Services.GetRequiredService<IOptions<SmartAuthOptions>>().Value);

        Assert.Contains(SmartAuthOptions.HttpTimeoutKey, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_PlatformWithoutClientId_NamesTheSetting()
    {
        await using var gateway = AuthHarness.Create(Minimal);

        var e = await Assert.ThrowsAsync<PlatformNotConfiguredException>(() => gateway.Auth.StartAsync(AuthHarness.NewOwner(), "aetna"));

        Assert.Equal(HttpStatusCode.BadRequest, e.Status);
        Assert.Contains("FHIR_GATEWAY_PLATFORM_AETNA_CLIENT_ID", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_UnknownPlatform_NotFound()
    {
        await using var gateway = AuthHarness.Create(Minimal);

        var e = await Assert.ThrowsAsync<PlatformNotFoundException>(() => gateway.Auth.StartAsync(AuthHarness.NewOwner(), "no-such-platform"));

        Assert.Equal(HttpStatusCode.NotFound, e.Status);
    }

    [Theory]
    [InlineData("/ok/path?x=1", "/ok/path?x=1")]
    [InlineData("//evil.example", null)]
    [InlineData("/\\evil.example", null)]
    [InlineData("https://evil.example/", null)]
    [InlineData("relative", null)]
    public void LocalPath_OnlyLocalPathsKept(string returnUrl, string? expected) =>
        Assert.Equal(expected, AuthorizationStarter.LocalPath(returnUrl));
}
