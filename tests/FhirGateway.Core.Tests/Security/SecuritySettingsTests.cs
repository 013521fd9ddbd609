using FhirGateway.Core.Identity;
using FhirGateway.Core.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Tests.Security;

/// <summary>A wrong identity, limit or CORS setting stops start-up, naming the setting.</summary>
public sealed class SecuritySettingsTests
{
    [Theory]
    [InlineData("Production", "http://id.example/realms/x", "urn:fhir-gateway", null, GatewayAuthOptions.IssuerKey)]
    [InlineData("Development", "not a url", "urn:fhir-gateway", null, GatewayAuthOptions.IssuerKey)]
    [InlineData("Development", "http://127.0.0.1:4190", null, null, GatewayAuthOptions.AudienceKey)]
    [InlineData("Development", null, null, "true", GatewayAuthOptions.IssuerKey)]
    [InlineData("Development", "http://127.0.0.1:4190", "urn:fhir-gateway", "yes", GatewayAuthOptions.RequiredKey)]
    public void AuthOptions_WrongSetting_FailNamingTheSetting(string environment, string? issuer, string? audience, string? required, string named)
    {
        var options = Configure(new ConfigureGatewayAuthOptions(Settings(
            (GatewayAuthOptions.IssuerKey, issuer), (GatewayAuthOptions.AudienceKey, audience), (GatewayAuthOptions.RequiredKey, required))), new GatewayAuthOptions());

        var result = new ValidateGatewayAuthOptions(new HostingEnvironment { EnvironmentName = environment }).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(named, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void AuthOptions_HttpsIssuerInProduction_AreValid()
    {
        var options = Configure(new ConfigureGatewayAuthOptions(Settings(
            (GatewayAuthOptions.IssuerKey, "https://id.example/realms/x"), (GatewayAuthOptions.AudienceKey, "urn:fhir-gateway, https://gw.example/mcp"))), new GatewayAuthOptions());

        Assert.True(new ValidateGatewayAuthOptions(new HostingEnvironment { EnvironmentName = Environments.Production }).Validate(null, options).Succeeded);
        Assert.Equal(["urn:fhir-gateway", "https://gw.example/mcp"], options.Audiences);
    }

    [Theory]
    [InlineData(GatewaySecurityOptions.CorsOriginsKey, "https://app.example/path", GatewaySecurityOptions.CorsOriginsKey)]
    [InlineData(GatewaySecurityOptions.UserPermitsKey, "0", GatewaySecurityOptions.UserPermitsKey)]
    [InlineData(GatewaySecurityOptions.AnonymousPermitsKey, "many", GatewaySecurityOptions.AnonymousPermitsKey)]
    [InlineData(GatewaySecurityOptions.WindowKey, "0", GatewaySecurityOptions.WindowKey)]
    [InlineData(GatewaySecurityOptions.RequestTimeoutKey, "-5", GatewaySecurityOptions.RequestTimeoutKey)]
    [InlineData(GatewaySecurityOptions.CorsCredentialsKey, "maybe", GatewaySecurityOptions.CorsCredentialsKey)]
    public void SecurityOptions_WrongSetting_FailNamingTheSetting(string key, string value, string named)
    {
        var result = ValidateSecurity((key, value));

        Assert.True(result.Failed);
        Assert.Contains(named, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void SecurityOptions_AnyOriginWithCredentials_FailNamingBothSettings()
    {
        var result = ValidateSecurity((GatewaySecurityOptions.CorsOriginsKey, "*"), (GatewaySecurityOptions.CorsCredentialsKey, "true"));

        Assert.True(result.Failed);
        Assert.Contains(GatewaySecurityOptions.CorsOriginsKey, result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(GatewaySecurityOptions.CorsCredentialsKey, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void SecurityOptions_ListedOriginsWithCredentials_AreValid()
    {
        Assert.True(ValidateSecurity((GatewaySecurityOptions.CorsOriginsKey, "https://app.example, http://localhost:3000"), (GatewaySecurityOptions.CorsCredentialsKey, "true")).Succeeded);
    }

    private static ValidateOptionsResult ValidateSecurity(params (string Key, string? Value)[] settings) =>
        new ValidateGatewaySecurityOptions().Validate(null, Configure(new ConfigureGatewaySecurityOptions(Settings(settings)), new GatewaySecurityOptions()));

    private static T Configure<T>(IConfigureOptions<T> configure, T options) where T : class
    {
        configure.Configure(options);
        return options;
    }

    private static IConfiguration Settings(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Where(s => s.Value is not null).Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
}
