using FhirGateway.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;

namespace FhirGateway.Api.Tests;

/// <summary>
/// The Api in process with the repository's platform files and a few platform settings, one secret among them.
/// No external server is involved: the platform routes only read the registry.
/// </summary>
public sealed class PlatformsApiFactory : WebApplicationFactory<Program>
{
    /// <summary>Builds the host under <see cref="HostCreation.Gate"/> (see there why).</summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        lock (HostCreation.Gate)
        {
            return base.CreateHost(builder);
        }
    }

    public const string Secret = "api-test-client-secret-value";
    public const string ClientId = "api-test-client-id-value";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("FHIR_GATEWAY_PLATFORM_AETNA_CLIENT_ID", ClientId);
        builder.UseSetting("FHIR_GATEWAY_PLATFORM_AETNA_CLIENT_SECRET", Secret);
        builder.UseSetting("FHIR_GATEWAY_PLATFORM_EPIC_SANDBOX_PATIENT_PRIVATE_KEY", "-----BEGIN PRIVATE KEY-----" + Secret);
    }
}
