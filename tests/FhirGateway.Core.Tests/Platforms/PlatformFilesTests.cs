using System.Text.Json;
using FhirGateway.Core.Platforms;

namespace FhirGateway.Core.Tests.Platforms;

/// <summary>The repository's platforms/ folder: every file valid, every seed platform present with its facts.</summary>
public sealed class PlatformFilesTests
{
    private static readonly Lazy<PlatformRegistry> Registry =
        new(() => PlatformRegistry.Load(RepoPaths.PlatformsFolder, TempPlatformFolder.Configuration()));

    [Fact]
    public void Load_RepositoryFolder_EveryFileLoads()
    {
        var files = Directory.GetFiles(RepoPaths.PlatformsFolder, "*.json").Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal)).ToList();

        Assert.Equal(files.Count, Registry.Value.All.Count);
    }

    [Fact]
    public void Load_RepositoryFolder_HasSeedPlatformsPlusLocalSandboxes()
    {
        var seed = SeedPlatform.ReadAll();

        // The 66 seed platforms (hapi-local among them) and the project's own local-sandbox.
        Assert.Equal(66, seed.Count);
        Assert.True(Registry.Value.All.Count >= seed.Count + 1, $"{Registry.Value.All.Count} platforms");
        Assert.True(Registry.Value.TryGet("local-sandbox", out _));
        Assert.True(Registry.Value.TryGet("hapi-local", out _));
    }

    [Fact]
    public void Load_RepositoryFolder_EverySeedPlatformKeepsItsFacts()
    {
        var failures = new List<string>();
        foreach (var row in SeedPlatform.ReadAll())
        {
            if (!Registry.Value.TryGet(row.Id, out var platform))
            {
                failures.Add($"{row.Id}: missing");
                continue;
            }

            var d = platform.Definition;
            void Same(string field, object? expected, object? actual)
            {
                if (!Equals(expected, actual))
                {
                    failures.Add($"{row.Id}: {field} is '{actual}', seed says '{expected}'");
                }
            }

            void SameList(string field, IReadOnlyList<string> expected, IReadOnlyList<string> actual) =>
                Same(field, string.Join("|", expected), string.Join("|", actual));

            Same("fhir_base_url", row["fhir_base_url"], d.FhirBaseUrl);
            Same("sandbox_url", row["sandbox_url"], d.SandboxUrl);
            Same("name", row["name"], d.Name);
            Same("display_name", row["display_name"], d.DisplayName);
            Same("type", row["type"], PlatformQueries.TypeNames[(int)d.Type]);
            Same("status", row["status"], d.Status.ToString().ToLowerInvariant());
            Same("developer_portal", row["developer_portal"], d.DeveloperPortal);
            Same("fhir_version", row["fhir_version"], d.FhirVersion);
            SameList("aliases", row.List("aliases"), d.Aliases);
            SameList("patterns", row.List("patterns"), d.Patterns);
            SameList("payer_ids", row.List("payer_ids"), d.PayerIds);
            SameList("capabilities", [.. (row["capabilities_true"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Order()], [.. d.Capabilities.Where(c => c.Value).Select(c => c.Key).Order()]);
            Same("registration", row["client_id"] is null ? PlatformRegistration.Required : PlatformRegistration.None, d.Registration);
            var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(row["client_headers"] ?? "{}")!;
            SameList("client_headers", [.. headers.Select(h => $"{h.Key}={h.Value}")], [.. d.ClientHeaders.Select(h => $"{h.Key}={h.Value}")]);
            Same("confidential", row["confidential"] == "True", d.OAuth.Confidential);
            Same("pkce_required", row["pkce_required"] == "True", d.OAuth.PkceRequired);
            Same("cors_relay_required", row["cors_relay_required"] == "True", d.OAuth.CorsRelayRequired);
            Same("grant_type", row["grant_type"], d.OAuth.GrantType);
            SameList("scopes_supported", row.List("scopes_supported"), d.OAuth.ScopesSupported);
            if (row.Id != "hapi-local")
            {
                // hapi-local's OAuth endpoints are the gateway's container-mode Keycloak, not the original project's.
                Same("authorize_url", row["authorize_url"], d.OAuth.AuthorizeUrl);
                Same("token_url", row["token_url"], d.OAuth.TokenUrl);
                Same("revoke_url", row["revoke_url"], d.OAuth.RevokeUrl);
                    SameList("code_challenge_methods", row.List("code_challenge_methods"), d.OAuth.CodeChallengeMethods);
                if (row["scopes"] is { } scopes && scopes.StartsWith('['))
                {
                    SameList("scopes", row.List("scopes"), d.OAuth.Scopes?.PublicClient ?? []);
                }
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void Load_SeedWithScopesPerClientKind_KeepsBothLists()
    {
        Assert.True(Registry.Value.TryGet("bcbsnd", out var platform));

        var scopes = platform.Definition.OAuth.Scopes!;
        Assert.DoesNotContain("offline_access", scopes.PublicClient);
        Assert.Contains("offline_access", scopes.ConfidentialClient);
    }

    [Fact]
    public void Load_RepositoryFolder_RegistrationNoneOnlyWithAPublicClientId()
    {
        var none = Registry.Value.All.Where(p => p.Definition.Registration == PlatformRegistration.None).ToList();

        Assert.All(none, p => Assert.False(string.IsNullOrEmpty(p.Definition.OAuth.ClientId) && !p.Definition.Open, p.Id));
        Assert.Equal(["hapi-local", "local-sandbox", "local-sandbox-ehr", "smarthealthit-sandbox-clinician", "smarthealthit-sandbox-patient"], none.Select(p => p.Id));
    }

    [Fact]
    public void Load_LocalSandbox_IsUsableWithoutConfiguration()
    {
        Assert.True(Registry.Value.TryGet("local-sandbox", out var platform));

        Assert.True(platform.IsUsable, platform.Problem);
        Assert.Equal("http://127.0.0.1:4180/payer-a/fhir", platform.Definition.FhirBaseUrl);
        Assert.Equal(["openid", "fhirUser", "launch/patient", "offline_access", "patient/*.rs"], platform.Definition.OAuth.Scopes!.PublicClient);
        Assert.True(Registry.Value.TryGetCredentials("local-sandbox", out var credentials));
        Assert.Equal("fhir-gateway", credentials.ClientId);
    }
}
