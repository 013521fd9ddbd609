namespace FhirGateway.AppHost.Keycloak;

/// <summary>
/// A Keycloak server container. Aspire.Hosting.Keycloak is not served to this project, so the resource is
/// written here the way an Aspire integration writes it.
/// </summary>
internal sealed class KeycloakResource(string name, ParameterResource adminUserName, ParameterResource adminPassword)
    : ContainerResource(name), IResourceWithServiceDiscovery
{
    internal const string PrimaryEndpointName = "http";
    internal const string ManagementEndpointName = "management";

    private EndpointReference? _primaryEndpoint;

    public ParameterResource AdminUserName { get; } = adminUserName;

    public ParameterResource AdminPassword { get; } = adminPassword;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    /// <summary>The realm's base URL, e.g. <c>http://localhost:8081/realms/fhir-gateway</c>.</summary>
    public ReferenceExpression RealmUrl(string realm) => ReferenceExpression.Create($"{PrimaryEndpoint}/realms/{realm}");
}
