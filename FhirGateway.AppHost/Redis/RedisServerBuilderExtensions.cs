using Microsoft.Extensions.DependencyInjection;

namespace FhirGateway.AppHost.Redis;

internal static class RedisServerBuilderExtensions
{
    internal const string Command = "redis-server";

    /// <summary>Whether <c>redis-server</c> is on PATH.</summary>
    public static bool IsInstalled() => ExecutableSearch.Find(Command) is not null;

    /// <summary>
    /// Adds <c>redis-server</c> as an executable on a port DCP assigns, bound to loopback, without persistence
    /// (a development store: tokens are re-obtained by logging in again).
    /// </summary>
    public static IResourceBuilder<RedisServerResource> AddRedisServer(this IDistributedApplicationBuilder builder, string name)
    {
        // Nothing is persisted (--save ""), but redis-server still wants a writable working directory.
        var workingDirectory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "fhir-gateway-redis")).FullName;
        var resource = new RedisServerResource(name, workingDirectory);

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
            healthCheckKey, _ => new RedisPingHealthCheck(resource), failureStatus: null, tags: null));

        return builder.AddResource(resource)
            .WithEndpoint(name: RedisServerResource.PrimaryEndpointName, scheme: "tcp")
            .WithArgs(context =>
            {
                context.Args.Add("--port");
                context.Args.Add(resource.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("--bind");
                context.Args.Add("127.0.0.1");
                context.Args.Add("--save");
                context.Args.Add("");
                context.Args.Add("--appendonly");
                context.Args.Add("no");
            })
            .WithHealthCheck(healthCheckKey);
    }
}
