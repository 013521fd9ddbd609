namespace FhirGateway.AppHost;

/// <summary>
/// What <c>aspire publish</c> / <c>azd</c> deploy: the two front-ends (container images built by
/// <c>dotnet publish /t:PublishContainer</c>, see their csproj) and one Redis they share. The development upstreams
/// (sandbox, HAPI, Keycloak) stay out; real platforms are reached over the internet. Redis gets a generated,
/// secret password parameter (<c>redis-password</c>); the token master key is the <c>master-key</c> parameter.
/// </summary>
internal static class PublishStack
{
    public static void AddPublishStack(
        this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> mcp, IReadOnlyList<IResourceBuilder<ProjectResource>> frontEnds)
    {
        var redis = builder.AddRedis(GatewayStack.RedisName);
        foreach (var frontEnd in frontEnds)
        {
            frontEnd.WithReference(redis).WaitFor(redis);
        }

        // The MCP server answers only Hosts it knows (DNS rebinding, see FhirGateway.Mcp/README.md): its own public one.
        mcp.WithEnvironment("FHIR_GATEWAY_MCP_ALLOWED_HOSTS", mcp.GetEndpoint("https").Property(EndpointProperty.Host));
    }
}
