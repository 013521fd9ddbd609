namespace FhirGateway.AppHost.Redis;

/// <summary>
/// A <c>redis-server</c> executable from PATH, for machines without a container runtime. Exposes the same
/// connection string shape as Aspire's Redis container, so the front-ends cannot tell the two apart.
/// </summary>
internal sealed class RedisServerResource(string name, string workingDirectory)
    : ExecutableResource(name, RedisServerBuilderExtensions.Command, workingDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";

    private EndpointReference? _primaryEndpoint;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}");
}
