using FhirGateway.Testing;
using Microsoft.AspNetCore.Hosting;

namespace FhirGateway.Mcp.Tests;

/// <summary>The settings both front-ends get: the sandbox platform, one Redis, one master key, the Api's public URL.</summary>
internal static class GatewaySettings
{
    public const string MasterKey = "mcp-tests-master-key-0123456789-abcdefghijklmnopq";

    public static void Apply(IWebHostBuilder builder, SandboxServers sandbox, string redis, Uri apiBase, IReadOnlyDictionary<string, string>? extra = null)
    {
        var auth = sandbox.AuthIssuer.AbsoluteUri.TrimEnd('/');
        builder.UseEnvironment("Development");
        builder.UseSetting("FHIR_GATEWAY_PUBLIC_URL", apiBase.AbsoluteUri.TrimEnd('/'));
        builder.UseSetting("FHIR_GATEWAY_MASTER_KEY", MasterKey);
        builder.UseSetting("ConnectionStrings:redis", redis);
        builder.UseSetting("FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_FHIR_BASE_URL", sandbox.FhirBase());
        builder.UseSetting("FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_AUTHORIZE_URL", $"{auth}/auth");
        builder.UseSetting("FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_TOKEN_URL", $"{auth}/token");
        builder.UseSetting("FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_REVOKE_URL", $"{auth}/token/revocation");
        builder.UseSetting("FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_CLIENT_ID", SandboxServers.PublicClientId);
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }
}
