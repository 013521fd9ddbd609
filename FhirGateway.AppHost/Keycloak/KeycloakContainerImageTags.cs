namespace FhirGateway.AppHost.Keycloak;

internal static class KeycloakContainerImageTags
{
    public const string Registry = "quay.io";
    public const string Image = "keycloak/keycloak";

    /// <summary>Pinned 26.x: realm import with <c>start-dev --import-realm</c>, health on the management port.</summary>
    public const string Tag = "26.4.2";
}
