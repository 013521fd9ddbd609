using System.Net;

namespace FhirGateway.AppHost.Tests;

/// <summary>Container mode started for real: Redis, HAPI FHIR and Keycloak containers.</summary>
public sealed class ContainerStackTests
{
    [RequiresContainerRuntimeFact]
    public async Task ContainerMode_Start_AllResourcesHealthyAndKeycloakRealmImported()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FhirGateway_AppHost>(
            ["--mode", "container"], (options, _) => options.DisableDashboard = true, cts.Token);
        await using var app = await builder.BuildAsync(cts.Token);
        await app.StartAsync(cts.Token);

        foreach (var name in new[] { "redis", "hapi-fhir", "keycloak", "api", "mcp" })
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(name, cts.Token);
        }

        using var keycloak = app.CreateHttpClient("keycloak", "http");
        using var realm = await keycloak.GetAsync(new Uri("/realms/fhir-gateway/.well-known/openid-configuration", UriKind.Relative), cts.Token);
        Assert.Equal(HttpStatusCode.OK, realm.StatusCode);
        using var hapi = app.CreateHttpClient("hapi-fhir", "http");
        using var metadata = await hapi.GetAsync(new Uri("/fhir/metadata", UriKind.Relative), cts.Token);
        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
    }
}
