namespace FhirGateway.AppHost.Keycloak;

internal static class KeycloakResourceBuilderExtensions
{
    private const int HttpPort = 8080;
    private const int ManagementPort = 9000;
    private const string RealmImportDirectory = "/opt/keycloak/data/import";

    /// <summary>
    /// Adds Keycloak in development mode (<c>start-dev</c>) with generated admin credentials and a readiness
    /// check on its management port.
    /// </summary>
    public static IResourceBuilder<KeycloakResource> AddKeycloakContainer(
        this IDistributedApplicationBuilder builder, string name, int? port = null)
    {
        var adminUser = builder.AddParameter($"{name}-admin", "admin");
        var adminPassword = builder.AddParameter($"{name}-password", new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);
        var resource = new KeycloakResource(name, adminUser.Resource, adminPassword.Resource);

        return builder.AddResource(resource)
            .WithImage(KeycloakContainerImageTags.Image, KeycloakContainerImageTags.Tag)
            .WithImageRegistry(KeycloakContainerImageTags.Registry)
            .WithHttpEndpoint(port: port, targetPort: HttpPort, name: KeycloakResource.PrimaryEndpointName)
            .WithHttpEndpoint(targetPort: ManagementPort, name: KeycloakResource.ManagementEndpointName)
            .WithHttpHealthCheck("/health/ready", endpointName: KeycloakResource.ManagementEndpointName)
            .WithEnvironment("KC_BOOTSTRAP_ADMIN_USERNAME", adminUser)
            .WithEnvironment("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword)
            .WithEnvironment("KC_HEALTH_ENABLED", "true")
            .WithArgs("start-dev");
    }

    /// <summary>Imports every realm file of <paramref name="directory"/> at start (<c>--import-realm</c>).</summary>
    public static IResourceBuilder<KeycloakResource> WithRealmImport(this IResourceBuilder<KeycloakResource> builder, string directory) =>
        builder.WithBindMount(Path.GetFullPath(directory), RealmImportDirectory, isReadOnly: true)
            .WithArgs("--import-realm");
}
