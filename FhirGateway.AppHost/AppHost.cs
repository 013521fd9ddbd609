using FhirGateway.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

var mode = StackModeResolver.Resolve(builder.Configuration);
var apiReplicas = ApiReplicas.Resolve(builder.Configuration);
builder.OnBeforeStart(logger => AppHostLog.StackModeChosen(logger, mode));

// The token store's master key (FHIR_GATEWAY_MASTER_KEY): generated once and kept in user secrets.
var masterKey = builder.AddParameter("master-key", new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true, persist: true);

var api = builder.AddProject<Projects.FhirGateway_Api>("api").WithReplicas(apiReplicas)
    // Socket completions continue on the runtime's I/O threads instead of hopping to the thread pool: 1.08-1.30x the
    // searches per second on two shared cores (bench/HISTORY.md). What the Api does after an upstream answer is short
    // (read into a buffer, rewrite the links, relay); not set for MCP, whose tools parse whole Bundles at that point.
    .WithEnvironment("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1")
    // A gen0 budget of 16 MB (hex; read from the environment only) instead of the one the runtime derives from the CPU's
    // cache size (2 MB where the cache is not reported, at most 6 MB with concurrent Workstation GC): a collection
    // every ~2,700 proxied requests instead of every ~350; 1.03-1.10x the requests on two shared cores
    // (bench/HISTORY.md, twelfth session).
    .WithEnvironment("DOTNET_GCgen0size", "0x1000000");
var mcp = builder.AddProject<Projects.FhirGateway_Mcp>("mcp");
IResourceBuilder<ProjectResource>[] frontEnds = [api, mcp];

if (builder.ExecutionContext.IsPublishMode)
{
    builder.AddPublishStack(mcp, frontEnds);
}
else if (mode == StackMode.Container)
{
    builder.AddContainerStack(frontEnds);
}
else
{
    builder.AddLocalStack(api, frontEnds);
}

foreach (var frontEnd in frontEnds)
{
    frontEnd.WithExternalHttpEndpoints()
        .WithEnvironment("FHIR_GATEWAY_MASTER_KEY", masterKey)
        // OAuth callbacks land on the Api, also for flows the MCP server starts.
        // Published, the Api is reached over https (the platform's ingress terminates TLS).
        .WithEnvironment("FHIR_GATEWAY_PUBLIC_URL", api.GetEndpoint(builder.ExecutionContext.IsPublishMode ? "https" : "http"))
        .WithHttpHealthCheck("/health");
}

builder.Build().Run();
