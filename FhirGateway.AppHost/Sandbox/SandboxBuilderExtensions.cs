namespace FhirGateway.AppHost.Sandbox;

/// <summary>
/// The local SMART sandbox (<c>sandbox/</c>): a FHIR R4 server and an OAuth 2.0 / OpenID Connect server, two
/// Node.js processes on loopback. Each learns the other's public URL, and the auth server the gateway's exact
/// redirect URI, through environment variables.
/// </summary>
internal static class SandboxBuilderExtensions
{
    internal const string FhirResourceName = "sandbox-fhir";
    internal const string AuthResourceName = "sandbox-auth";
    internal const string InstallResourceName = "sandbox-install";

    /// <summary>
    /// The platforms the sandbox stands in for: their configuration prefix and the sandbox FHIR base each points at
    /// (one FHIR process serves several bases, each with its own data; one auth server serves them all).
    /// </summary>
    internal static readonly (string Prefix, string BasePath)[] Platforms =
    [
        ("FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX", "/payer-a/fhir"),
        ("FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_EHR", "/ehr-b/fhir"),
    ];

    /// <summary>
    /// Where the gateway writes FHIR AuditEvent resources: a base of its own that takes writes without a token
    /// (SANDBOX_FHIR_OPEN_BASES' default), as an audit repository on a private network would.
    /// </summary>
    internal const string AuditBasePath = "/audit/fhir";

    /// <summary>The sandbox's public SMART client, registered in <c>sandbox/fixtures.mjs</c>.</summary>
    internal const string PublicClientId = "fhir-gateway";

    public static SandboxResources AddSandbox(this IDistributedApplicationBuilder builder, string sandboxDirectory)
    {
        // First start on a fresh clone: install the pinned packages before either host starts.
        IResourceBuilder<ExecutableResource>? install = Directory.Exists(Path.Combine(sandboxDirectory, "node_modules"))
            ? null
            : builder.AddExecutable(InstallResourceName, "npm", sandboxDirectory, "ci", "--no-audit", "--no-fund");

        var fhir = builder.AddExecutable(FhirResourceName, "node", sandboxDirectory, "fhir/server.mjs")
            .WithHttpEndpoint(env: "SANDBOX_FHIR_PORT")
            .WithHttpHealthCheck("/health")
            .WithEnvironment("SANDBOX_FHIR_BASES", "payer-a,ehr-b,audit");
        var auth = builder.AddExecutable(AuthResourceName, "node", sandboxDirectory, "auth/server.mjs")
            .WithHttpEndpoint(env: "SANDBOX_AUTH_PORT")
            .WithHttpHealthCheck("/health");

        foreach (var host in new[] { fhir, auth })
        {
            host.WithEnvironment("SANDBOX_FHIR_URL", fhir.GetEndpoint("http"))
                .WithEnvironment("SANDBOX_AUTH_URL", auth.GetEndpoint("http"));
            if (install is not null)
            {
                host.WaitForCompletion(install);
            }
        }

        return new SandboxResources(fhir, auth);
    }
}

/// <summary>The two sandbox hosts.</summary>
internal sealed record SandboxResources(IResourceBuilder<ExecutableResource> Fhir, IResourceBuilder<ExecutableResource> Auth);
