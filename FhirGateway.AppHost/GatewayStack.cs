using FhirGateway.AppHost.Hapi;
using FhirGateway.AppHost.Keycloak;
using FhirGateway.AppHost.Redis;
using FhirGateway.AppHost.Sandbox;
using Microsoft.Extensions.Logging;

namespace FhirGateway.AppHost;

/// <summary>
/// Adds the upstreams of one mode and points the front-ends at them. The front-ends learn every URL through
/// configuration (<c>FHIR_GATEWAY_PLATFORM_{ID}_...</c>), so <c>local-sandbox</c> and <c>hapi-local</c> work
/// without editing platform files.
/// </summary>
internal static class GatewayStack
{
    internal const string RedisName = "redis";
    internal const string KeycloakName = "keycloak";
    internal const string HapiName = "hapi-fhir";
    internal const string KeycloakRealm = "fhir-gateway";
    internal const string KeycloakClientId = "fhir-gateway";

    /// <summary>
    /// The gateway's own audience (issue 7): apps and agents present access tokens whose <c>aud</c> is this, issued by
    /// Keycloak (its realm's audience mapper) or the sandbox auth server (SANDBOX_GATEWAY_AUDIENCE). A URI, as an
    /// RFC 8707 resource indicator must be.
    /// </summary>
    internal const string GatewayAudience = "urn:fhir-gateway";

    /// <summary>HAPI and Keycloak on the ports the <c>hapi-local</c> platform file names.</summary>
    private const int HapiPort = 8080;
    private const int KeycloakPort = 8081;

    public static void AddContainerStack(this IDistributedApplicationBuilder builder, IReadOnlyList<IResourceBuilder<ProjectResource>> frontEnds)
    {
        var redis = builder.AddRedis(RedisName);
        var hapi = builder.AddHapiFhir(HapiName, HapiPort);
        var keycloak = builder.AddKeycloakContainer(KeycloakName, KeycloakPort)
            .WithRealmImport(Path.Combine(builder.AppHostDirectory, "keycloak"));
        var realm = keycloak.Resource.RealmUrl(KeycloakRealm);

        foreach (var frontEnd in frontEnds)
        {
            frontEnd.WithReference(redis).WaitFor(redis)
                .WaitFor(hapi).WaitFor(keycloak)
                .WithEnvironment("FHIR_GATEWAY_PLATFORM_HAPI_LOCAL_FHIR_BASE_URL", $"{hapi.GetEndpoint("http")}/fhir")
                .WithEnvironment("FHIR_GATEWAY_PLATFORM_HAPI_LOCAL_AUTHORIZE_URL", $"{realm}/protocol/openid-connect/auth")
                .WithEnvironment("FHIR_GATEWAY_PLATFORM_HAPI_LOCAL_TOKEN_URL", $"{realm}/protocol/openid-connect/token")
                .WithEnvironment("FHIR_GATEWAY_PLATFORM_HAPI_LOCAL_REVOKE_URL", $"{realm}/protocol/openid-connect/revoke")
                .WithEnvironment("FHIR_GATEWAY_PLATFORM_HAPI_LOCAL_CLIENT_ID", KeycloakClientId)
                .WithEnvironment("FHIR_GATEWAY_AUTH_ISSUER", realm)
                .WithEnvironment("FHIR_GATEWAY_AUTH_AUDIENCE", GatewayAudience)
                // HAPI keeps the FHIR AuditEvent trail; it is reachable only on the stack's own network.
                .WithEnvironment("FHIR_GATEWAY_AUDIT_FHIR_URL", $"{hapi.GetEndpoint("http")}/fhir");
        }
    }

    public static void AddLocalStack(this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> api, IReadOnlyList<IResourceBuilder<ProjectResource>> frontEnds)
    {
        var sandbox = builder.AddSandbox(Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "sandbox")));
        // The gateway's callback is the one redirect URI the sandbox auth server accepts.
        sandbox.Auth.WithEnvironment("SANDBOX_REDIRECT_URIS", $"{api.GetEndpoint("http")}/oauth/callback")
            .WithEnvironment("SANDBOX_GATEWAY_AUDIENCE", GatewayAudience);

        IResourceBuilder<RedisServerResource>? redis = null;
        if (RedisServerBuilderExtensions.IsInstalled())
        {
            redis = builder.AddRedisServer(RedisName);
        }
        else
        {
            builder.OnBeforeStart(logger => AppHostLog.RedisServerMissing(logger, RedisServerBuilderExtensions.Command));
            if (api.Resource.GetReplicaCount() > 1)
            {
                builder.OnBeforeStart(logger => AppHostLog.ReplicasWithoutRedis(logger, api.Resource.GetReplicaCount()));
            }
        }

        var fhir = sandbox.Fhir.GetEndpoint("http");
        var auth = sandbox.Auth.GetEndpoint("http");
        foreach (var frontEnd in frontEnds)
        {
            if (redis is not null)
            {
                frontEnd.WithReference(redis).WaitFor(redis);
            }

            frontEnd.WaitFor(sandbox.Fhir).WaitFor(sandbox.Auth)
                .WithEnvironment("FHIR_GATEWAY_AUTH_ISSUER", auth)
                .WithEnvironment("FHIR_GATEWAY_AUTH_AUDIENCE", GatewayAudience);
            foreach (var (prefix, basePath) in SandboxBuilderExtensions.Platforms)
            {
                frontEnd.WithEnvironment($"{prefix}_FHIR_BASE_URL", $"{fhir}{basePath}")
                    .WithEnvironment($"{prefix}_AUTHORIZE_URL", $"{auth}/auth")
                    .WithEnvironment($"{prefix}_TOKEN_URL", $"{auth}/token")
                    .WithEnvironment($"{prefix}_REVOKE_URL", $"{auth}/token/revocation")
                    .WithEnvironment($"{prefix}_CLIENT_ID", SandboxBuilderExtensions.PublicClientId);
            }

            frontEnd.WithEnvironment("FHIR_GATEWAY_AUDIT_FHIR_URL", $"{fhir}{SandboxBuilderExtensions.AuditBasePath}");

            // The sandbox's payer (CRD over CDS Hooks) sits beside the payer-a FHIR base.
            frontEnd.WithEnvironment("FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_CDS_SERVICES_URL", $"{fhir}/payer-a/cds-services");
        }
    }
}
