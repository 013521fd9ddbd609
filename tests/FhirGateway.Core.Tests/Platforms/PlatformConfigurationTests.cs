using System.Text.Json;
using FhirGateway.Core.Platforms;

namespace FhirGateway.Core.Tests.Platforms;

/// <summary>Configuration (flat keys, as environment variables arrive) applied over the repository's platform files.</summary>
public sealed class PlatformConfigurationTests
{
    private static PlatformRegistry Load(params (string Key, string Value)[] settings) =>
        PlatformRegistry.Load(RepoPaths.PlatformsFolder, TempPlatformFolder.Configuration(settings));

    [Fact]
    public void Load_UrlOverrides_Apply()
    {
        var registry = Load(
            ("FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_FHIR_BASE_URL", "http://127.0.0.1:5555/payer-b/fhir"),
            ("FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_AUTHORIZE_URL", "http://127.0.0.1:5556/auth"),
            ("FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_TOKEN_URL", "http://127.0.0.1:5556/token"),
            ("FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_REVOKE_URL", "http://127.0.0.1:5556/token/revocation"));

        Assert.True(registry.TryGet("local-sandbox", out var platform));
        Assert.Equal("http://127.0.0.1:5555/payer-b/fhir", platform.Definition.FhirBaseUrl);
        Assert.Equal("http://127.0.0.1:5556/auth", platform.Definition.OAuth.AuthorizeUrl);
        Assert.Equal("http://127.0.0.1:5556/token", platform.Definition.OAuth.TokenUrl);
        Assert.Equal("http://127.0.0.1:5556/token/revocation", platform.Definition.OAuth.RevokeUrl);
    }

    [Fact]
    public void Load_NoClientId_RegistrationRequiredPlatformNamesTheSetting()
    {
        var registry = Load();

        Assert.True(registry.TryGet("aetna", out var platform));
        Assert.False(platform.IsRegistered);
        Assert.False(platform.IsUsable);
        Assert.Contains("FHIR_GATEWAY_PLATFORM_AETNA_CLIENT_ID", platform.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ClientIdAndSecretConfigured_RegisteredAndKeptApart()
    {
        var registry = Load(
            ("FHIR_GATEWAY_PLATFORM_EPIC_SANDBOX_PATIENT_CLIENT_ID", "my-epic-app"),
            ("FHIR_GATEWAY_PLATFORM_EPIC_SANDBOX_PATIENT_CLIENT_SECRET", "s3cr3t-value"),
            ("FHIR_GATEWAY_PLATFORM_EPIC_SANDBOX_PATIENT_PRIVATE_KEY", "-----BEGIN PRIVATE KEY-----abc"));

        Assert.True(registry.TryGet("epic-sandbox-patient", out var platform));
        Assert.True(platform.IsUsable, platform.Problem);
        Assert.True(registry.TryGetCredentials("epic-sandbox-patient", out var credentials));
        Assert.Equal("my-epic-app", credentials.ClientId);
        Assert.Equal("s3cr3t-value", credentials.ClientSecret);
        Assert.Equal("-----BEGIN PRIVATE KEY-----abc", credentials.PrivateKey);
        Assert.DoesNotContain("s3cr3t-value", credentials.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void PublicView_SecretConfigured_NoSecretOrClientIdInJson()
    {
        var registry = Load(
            ("FHIR_GATEWAY_PLATFORM_EPIC_SANDBOX_PATIENT_CLIENT_ID", "my-epic-app-id"),
            ("FHIR_GATEWAY_PLATFORM_EPIC_SANDBOX_PATIENT_CLIENT_SECRET", "s3cr3t-value"),
            ("FHIR_GATEWAY_PLATFORM_EPIC_SANDBOX_PATIENT_PRIVATE_KEY", "-----BEGIN PRIVATE KEY-----abc"));
        var summaries = registry.All.Select(PlatformSummary.From).ToList();

        var json = JsonSerializer.Serialize(new PlatformList(summaries, summaries.Count), PlatformJsonContext.Default.PlatformList);

        Assert.DoesNotContain("s3cr3t-value", json, StringComparison.Ordinal);
        Assert.DoesNotContain("BEGIN PRIVATE KEY", json, StringComparison.Ordinal);
        Assert.DoesNotContain("my-epic-app-id", json, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"epic-sandbox-patient\"", json, StringComparison.Ordinal);
        Assert.Contains("\"registered\":true", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PlaceholderUnfilled_UnusableNamingTheVariable()
    {
        var registry = Load(("FHIR_GATEWAY_PLATFORM_CERNER_CLIENT_ID", "cerner-app"));

        Assert.True(registry.TryGet("cerner", out var platform));
        Assert.False(platform.IsUsable);
        Assert.Contains("FHIR_GATEWAY_PLATFORM_CERNER_TENANT_ID", platform.Problem, StringComparison.Ordinal);
        Assert.Contains("{tenant_id}", platform.Problem, StringComparison.Ordinal);
        Assert.Contains("oauth.token_url", platform.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PlaceholderFilled_UrlBuilt()
    {
        var registry = Load(
            ("FHIR_GATEWAY_PLATFORM_CERNER_CLIENT_ID", "cerner-app"),
            ("FHIR_GATEWAY_PLATFORM_CERNER_TENANT_ID", "ec2458f2-1e24-41c8-b71b-0e701af7583d"));

        Assert.True(registry.TryGet("cerner", out var platform));
        Assert.True(platform.IsUsable, platform.Problem);
        Assert.Equal(
            "https://authorization.cerner.com/tenants/ec2458f2-1e24-41c8-b71b-0e701af7583d/protocols/oauth2/profiles/smart-v1/token",
            platform.Definition.OAuth.TokenUrl);
        Assert.DoesNotContain("{", platform.Definition.OAuth.AuthorizeUrl, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TemplateFromConfiguration_CreatesPlatform()
    {
        var registry = Load(
            ("FHIR_GATEWAY_PLATFORM_ACME_HEALTH_TEMPLATE", "epic"),
            ("FHIR_GATEWAY_PLATFORM_ACME_HEALTH_FHIR_BASE_URL", "https://fhir.acme-health.example/api/FHIR/R4"),
            ("FHIR_GATEWAY_PLATFORM_ACME_HEALTH_DISPLAY_NAME", "Acme Health MyChart"),
            ("FHIR_GATEWAY_PLATFORM_ACME_HEALTH_CLIENT_ID", "acme-app"));

        Assert.True(registry.TryGet("acme-health", out var platform));
        Assert.Equal("Acme Health MyChart", platform.Definition.DisplayName);
        Assert.Equal(PlatformType.Ehr, platform.Definition.Type);
        Assert.Equal("https://fhir.acme-health.example/api/FHIR/R4", platform.Definition.FhirBaseUrl);
        Assert.True(platform.Definition.Discovery);
        Assert.Equal(registry.Find("epic")!.Definition.ClientHeaders, platform.Definition.ClientHeaders);
        Assert.Empty(platform.Definition.Aliases);
        Assert.True(platform.IsUsable, platform.Problem);
        Assert.Same(registry.Find("epic"), registry.Find("mychart"));
    }

    [Fact]
    public void Load_TemplateWithoutFhirBaseUrl_ListedButUnusableNamingTheSetting()
    {
        var registry = Load(("FHIR_GATEWAY_PLATFORM_ACME_TEMPLATE", "epic"), ("FHIR_GATEWAY_PLATFORM_ACME_CLIENT_ID", "x"));

        Assert.True(registry.TryGet("acme", out var platform));
        Assert.Contains("FHIR_GATEWAY_PLATFORM_ACME_FHIR_BASE_URL", platform.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CernerTemplate_NeedsItsOwnTenant()
    {
        var registry = Load(("FHIR_GATEWAY_PLATFORM_ACME_CERNER_TEMPLATE", "cerner"), ("FHIR_GATEWAY_PLATFORM_ACME_CERNER_CLIENT_ID", "x"));

        Assert.True(registry.TryGet("acme-cerner", out var platform));
        Assert.Contains("FHIR_GATEWAY_PLATFORM_ACME_CERNER_TENANT_ID", platform.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FHIR_GATEWAY_PLATFORM_ACME_TEMPLATE", "no-such-platform")]
    [InlineData("FHIR_GATEWAY_PLATFORM_AETNA_TEMPLATE", "epic")]
    [InlineData("FHIR_GATEWAY_PLATFORM_AETNAA_CLIENT_ID", "typo")]
    [InlineData("FHIR_GATEWAY_PLATFORM_NOPE_FHIR_BASE_URL", "https://x.example")]
    public void Load_WrongSetting_FailsNamingTheKey(string key, string value)
    {
        var e = Assert.Throws<PlatformRegistryException>(() => Load((key, value)));

        Assert.Contains(key, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PlaceholderSettingForUnknownSuffix_NotMistakenForTypo()
    {
        var registry = Load(("FHIR_GATEWAY_PLATFORM_CERNER_TENANT_ID", "t1"), ("FHIR_GATEWAY_PLATFORMS_PATH", "ignored-here"));

        Assert.True(registry.TryGet("cerner", out _));
    }

    [Theory]
    [InlineData("anthem", "anthem-patient")]
    [InlineData("UHC", "unitedhealthcare")]
    [InlineData("Oracle Health", "cerner")]
    [InlineData("AETNA", "aetna")]
    public void Find_AliasOrId_IgnoresCase(string query, string expectedId)
    {
        Assert.Equal(expectedId, Load().Find(query)?.Id);
    }

    [Fact]
    public void Find_Unknown_ReturnsNull()
    {
        Assert.Null(Load().Find("no-such-platform"));
    }

    [Fact]
    public void FindByPayerId_SharedPayerId_ReturnsEveryPlatform()
    {
        var ids = Load().FindByPayerId("47198").Select(p => p.Id).Order().ToList();

        Assert.Equal(["anthem-formulary", "anthem-patient", "anthem-provider"], ids);
    }

    [Fact]
    public void Search_TypeAndUsable_Filters()
    {
        var registry = Load(("FHIR_GATEWAY_PLATFORM_AETNA_CLIENT_ID", "aetna-app"));

        var usablePayers = registry.Search(PlatformType.Payer, usable: true);
        var sandboxes = registry.Search(PlatformType.Sandbox, text: "smart");

        Assert.Equal(["aetna"], usablePayers.Select(p => p.Id));
        Assert.Equal(["local-sandbox", "local-sandbox-ehr", "smarthealthit-sandbox-clinician", "smarthealthit-sandbox-patient"], sandboxes.Select(p => p.Id));
    }
}
