using Microsoft.Extensions.Logging.Abstractions;
using FhirGateway.AppHost.Keycloak;
using FhirGateway.AppHost.Redis;

namespace FhirGateway.AppHost.Tests;

/// <summary>The application model in both modes, built but not started.</summary>
public sealed class AppHostModelTests
{
    [Fact]
    public async Task LocalMode_Model_HasRedisExecutableSandboxAndBothFrontEnds()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FhirGateway_AppHost>(["--mode", "local"]);

        var resources = builder.Resources.ToDictionary(r => r.Name);

        Assert.IsType<RedisServerResource>(resources["redis"]);
        Assert.IsType<ExecutableResource>(resources["sandbox-fhir"]);
        Assert.IsType<ExecutableResource>(resources["sandbox-auth"]);
        Assert.IsType<ProjectResource>(resources["api"]);
        Assert.IsType<ProjectResource>(resources["mcp"]);
        Assert.DoesNotContain("keycloak", resources.Keys);
        Assert.DoesNotContain("hapi-fhir", resources.Keys);
        foreach (var name in new[] { "redis", "sandbox-fhir", "sandbox-auth", "api", "mcp" })
        {
            Assert.True(resources[name].TryGetAnnotationsOfType<HealthCheckAnnotation>(out _), $"{name} has no health check");
        }
    }

    [Theory]
    [InlineData("local")]
    [InlineData("container")]
    public async Task FrontEnds_BothModes_WaitForTheirUpstreamsAndGetTheSecretMasterKey(string mode)
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FhirGateway_AppHost>(["--mode", mode]);
        var upstreams = mode == "local" ? new[] { "redis", "sandbox-fhir", "sandbox-auth" } : ["redis", "hapi-fhir", "keycloak"];

        var masterKey = Assert.IsType<ParameterResource>(builder.Resources.Single(r => r.Name == "master-key"));
        Assert.True(masterKey.Secret);
        foreach (var frontEnd in builder.Resources.OfType<ProjectResource>())
        {
            var waits = frontEnd.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).ToHashSet();
            Assert.Superset(upstreams.ToHashSet(), waits);
            var environment = await EnvironmentAsync(frontEnd);
            Assert.Equal("{master-key.value}", environment["FHIR_GATEWAY_MASTER_KEY"]);
            Assert.Equal("{redis.connectionString}", environment["ConnectionStrings__redis"]);
            Assert.Equal("{api.bindings.http.url}", environment["FHIR_GATEWAY_PUBLIC_URL"]);
        }
    }

    [Theory]
    [InlineData("local")]
    [InlineData("container")]
    public async Task Api_BothModes_RunsWithInlineSocketCompletionsAndA16MegabyteGen0Budget_McpDoesNot(string mode)
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FhirGateway_AppHost>(["--mode", mode]);
        var frontEnds = builder.Resources.OfType<ProjectResource>().ToDictionary(r => r.Name);

        var api = await EnvironmentAsync(frontEnds["api"]);
        Assert.Equal("1", api["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"]);
        // The runtime reads DOTNET_GCgen0size as hexadecimal bytes.
        Assert.Equal(16 * 1024 * 1024, Convert.ToInt32(api["DOTNET_GCgen0size"], 16));
        var mcp = await EnvironmentAsync(frontEnds["mcp"]);
        Assert.DoesNotContain("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", mcp.Keys);
        Assert.DoesNotContain("DOTNET_GCgen0size", mcp.Keys);
    }

    [Fact]
    public async Task LocalMode_FrontEnds_PointTheLocalSandboxPlatformAtTheSandboxHosts()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FhirGateway_AppHost>(["--mode", "local"]);

        var environment = await EnvironmentAsync(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "mcp"));
        var auth = await EnvironmentAsync(builder.Resources.Single(r => r.Name == "sandbox-auth"));

        Assert.Equal("{sandbox-fhir.bindings.http.url}/payer-a/fhir", environment["FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_FHIR_BASE_URL"]);
        Assert.Equal("{sandbox-auth.bindings.http.url}/auth", environment["FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_AUTHORIZE_URL"]);
        Assert.Equal("{sandbox-auth.bindings.http.url}/token", environment["FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_TOKEN_URL"]);
        Assert.Equal("fhir-gateway", environment["FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_CLIENT_ID"]);
        Assert.Equal("{sandbox-fhir.bindings.http.url}/ehr-b/fhir", environment["FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_EHR_FHIR_BASE_URL"]);
        Assert.Equal("{sandbox-auth.bindings.http.url}/token", environment["FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_EHR_TOKEN_URL"]);
        Assert.Equal("{sandbox-fhir.bindings.http.url}/payer-a/cds-services", environment["FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_CDS_SERVICES_URL"]);
        // The auth server accepts exactly the gateway's callback, and both hosts know each other.
        Assert.Equal("{api.bindings.http.url}/oauth/callback", auth["SANDBOX_REDIRECT_URIS"]);
        Assert.Equal("{sandbox-fhir.bindings.http.url}", auth["SANDBOX_FHIR_URL"]);
        Assert.Equal("{sandbox-auth.bindings.http.url}", auth["SANDBOX_AUTH_URL"]);
        Assert.Equal("urn:fhir-gateway", auth["SANDBOX_GATEWAY_AUDIENCE"]);
        Assert.Equal("{sandbox-auth.bindings.http.url}", environment["FHIR_GATEWAY_AUTH_ISSUER"]);
        Assert.Equal("urn:fhir-gateway", environment["FHIR_GATEWAY_AUTH_AUDIENCE"]);
        // The AuditEvent trail goes to the sandbox's own audit base.
        var fhir = await EnvironmentAsync(builder.Resources.Single(r => r.Name == "sandbox-fhir"));
        Assert.Contains("audit", fhir["SANDBOX_FHIR_BASES"].Split(','));
        Assert.Equal("{sandbox-fhir.bindings.http.url}/audit/fhir", environment["FHIR_GATEWAY_AUDIT_FHIR_URL"]);
    }

    [Fact]
    public async Task ContainerMode_Model_HasPinnedRedisHapiAndKeycloakWithRealmImport()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FhirGateway_AppHost>(["--mode", "container"]);
        var resources = builder.Resources.ToDictionary(r => r.Name);

        Assert.IsType<RedisResource>(resources["redis"]);
        var hapi = Assert.IsType<ContainerResource>(resources["hapi-fhir"]);
        var hapiImage = hapi.Annotations.OfType<ContainerImageAnnotation>().Single();
        Assert.Equal("hapiproject/hapi", hapiImage.Image);
        Assert.NotEqual("latest", hapiImage.Tag);

        var keycloak = Assert.IsType<KeycloakResource>(resources["keycloak"]);
        var image = keycloak.Annotations.OfType<ContainerImageAnnotation>().Single();
        Assert.Equal("quay.io", image.Registry);
        Assert.StartsWith("26.", image.Tag, StringComparison.Ordinal);
        Assert.Equal(["start-dev", "--import-realm"], await ArgsAsync(keycloak));
        var mount = keycloak.Annotations.OfType<ContainerMountAnnotation>().Single();
        Assert.Equal("/opt/keycloak/data/import", mount.Target);
        Assert.True(File.Exists(Path.Combine(mount.Source!, "fhir-gateway-realm.json")));
        Assert.True(keycloak.AdminPassword.Secret);
        Assert.DoesNotContain("sandbox-fhir", resources.Keys);

        var api = await EnvironmentAsync(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "api"));
        Assert.Equal("{hapi-fhir.bindings.http.url}/fhir", api["FHIR_GATEWAY_PLATFORM_HAPI_LOCAL_FHIR_BASE_URL"]);
        Assert.Equal("{keycloak.bindings.http.url}/realms/fhir-gateway/protocol/openid-connect/token", api["FHIR_GATEWAY_PLATFORM_HAPI_LOCAL_TOKEN_URL"]);
        Assert.Equal("{keycloak.bindings.http.url}/realms/fhir-gateway", api["FHIR_GATEWAY_AUTH_ISSUER"]);
        Assert.Equal("urn:fhir-gateway", api["FHIR_GATEWAY_AUTH_AUDIENCE"]);
        Assert.Equal("{hapi-fhir.bindings.http.url}/fhir", api["FHIR_GATEWAY_AUDIT_FHIR_URL"]);
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData("1", 1)]
    [InlineData("2", 2)]
    public async Task ApiReplicas_Setting_IsTheApiReplicaCountAndMcpStaysSingle(string? replicas, int expected)
    {
        string[] args = replicas is null ? ["--mode", "local"] : ["--mode", "local", "--api-replicas", replicas];
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FhirGateway_AppHost>(args);
        var projects = builder.Resources.OfType<ProjectResource>().ToDictionary(r => r.Name);

        Assert.Equal(expected, projects["api"].GetReplicaCount());
        Assert.Equal(1, projects["mcp"].GetReplicaCount());
        // Every replica's callbacks are sent to one public address (DCP's proxy locally), the one the auth server accepts.
        var environment = await EnvironmentAsync(projects["api"]);
        Assert.Equal("{api.bindings.http.url}", environment["FHIR_GATEWAY_PUBLIC_URL"]);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("two")]
    public async Task ApiReplicas_Invalid_FailsNamingTheSetting(string replicas)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            DistributedApplicationTestingBuilder.CreateAsync<Projects.FhirGateway_AppHost>(["--mode", "local", "--api-replicas", replicas]));

        var message = Innermost(error).Message;
        Assert.Contains("'api-replicas'", message, StringComparison.Ordinal);
        Assert.Contains($"'{replicas}'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mode_Unknown_FailsNamingTheSetting()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            DistributedApplicationTestingBuilder.CreateAsync<Projects.FhirGateway_AppHost>(["--mode", "kubernetes"]));

        Assert.Contains("'mode'", Innermost(error).Message, StringComparison.Ordinal);
    }

    /// <summary>The resource's environment as the publisher sees it: references stay as expressions.</summary>
    private static async Task<Dictionary<string, string>> EnvironmentAsync(IResource resource) =>
        (await ConfigurationAsync(resource)).EnvironmentVariables.ToDictionary(kv => kv.Key, kv => kv.Value);

    private static async Task<IReadOnlyList<string>> ArgsAsync(IResource resource) =>
        [.. (await ConfigurationAsync(resource)).Arguments.Select(a => a.Value)];

    private static Task<IExecutionConfigurationResult> ConfigurationAsync(IResource resource) =>
        ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .WithArgumentsConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish), NullLogger.Instance, CancellationToken.None);

    private static Exception Innermost(Exception error) => error.InnerException is null ? error : Innermost(error.InnerException);
}
