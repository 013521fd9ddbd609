using FhirGateway.Mcp.Errors;
using FhirGateway.Mcp.Fhir;
using FhirGateway.Mcp.Identity;
using FhirGateway.Mcp.Tools;
using Microsoft.Extensions.Options;

namespace FhirGateway.Mcp.Hosting;

/// <summary>Registers and maps the MCP front-end.</summary>
internal static class McpGatewayExtensions
{
    /// <summary>The MCP endpoint (streamable HTTP).</summary>
    public const string Path = "/mcp";

    /// <summary>The log category prefix of the MCP SDK.</summary>
    private const string SdkLogCategory = "ModelContextProtocol";

    /// <summary>The MCP server (stateless streamable HTTP), its tools, resources and prompts, and its settings.</summary>
    public static WebApplicationBuilder AddGatewayMcp(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<McpGatewayOptions>().ValidateOnStart();
        builder.Services.AddSingleton<IConfigureOptions<McpGatewayOptions>, ConfigureMcpGatewayOptions>();
        builder.Services.AddSingleton<IValidateOptions<McpGatewayOptions>, ValidateMcpGatewayOptions>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<McpCaller>();
        builder.Services.AddSingleton<AuthWait>();
        builder.Services.AddSingleton<McpFhir>();
        builder.Services.AddSingleton<BulkExport>();
        McpResourceMetadata.Add(builder);
        // The SDK writes every JSON-RPC message it sends or receives at Debug/Trace: tool results are FHIR data. Its
        // categories stop at Information even when the configuration asks for Trace by default or for every category
        // (a later rule for the same category wins; only a rule naming both a provider and this category would not).
        builder.Logging.AddFilter(SdkLogCategory, level => level >= LogLevel.Information);

        builder.Services.AddMcpServer()
            // Stateless (the SDK's default, said here on purpose): no Mcp-Session-Id, any replica serves any call,
            // and identity comes from each request's headers, never from a protocol session.
            .WithHttpTransport(options => options.Stateless = true)
            .WithToolsFromAssembly()
            .WithResourcesFromAssembly()
            .WithPromptsFromAssembly()
            .WithRequestFilters(filters =>
            {
                filters.AddCallToolFilter(GatewayErrorFilters.Tools);
                filters.AddCallToolFilter(ToolArgumentFilter.Tools);
                filters.AddReadResourceFilter(GatewayErrorFilters.Resources);
            });
        return builder;
    }

    /// <summary>Maps <c>/mcp</c> behind the Host/Origin check and the gateway key's format check.</summary>
    public static WebApplication MapGatewayMcp(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Path), mcp => mcp
            .UseMiddleware<HostGuard>()
            .UseMiddleware<GatewayKeyGuard>());
        // Streamable HTTP holds responses open (wait_for_auth's progress): tools are bounded by their own timeouts.
        app.MapMcp(Path).DisableRequestTimeout();
        return app;
    }
}
