namespace FhirGateway.AppHost.Hapi;

/// <summary>The HAPI FHIR JPA server (<c>hapiproject/hapi</c>) as a container, R4, in-memory database.</summary>
internal static class HapiFhirBuilderExtensions
{
    internal const string Image = "hapiproject/hapi";

    /// <summary>Pinned; <c>latest</c> moves under a running project.</summary>
    internal const string Tag = "v8.2.0-1";

    private const int HttpPort = 8080;

    public static IResourceBuilder<ContainerResource> AddHapiFhir(this IDistributedApplicationBuilder builder, string name, int? port = null) =>
        builder.AddContainer(name, Image, Tag)
            .WithHttpEndpoint(port: port, targetPort: HttpPort, name: "http")
            .WithEnvironment("HAPI_FHIR_FHIR_VERSION", "R4")
            .WithHttpHealthCheck("/fhir/metadata");
}
