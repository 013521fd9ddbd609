extern alias api;

using System.Globalization;
using FhirGateway.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;

namespace FhirGateway.Mcp.Tests;

/// <summary>The Api on real Kestrel: it serves the OAuth callback and the REST routes.</summary>
public sealed class ApiServer : WebApplicationFactory<api::Program>
{
    /// <summary>Builds the host under <see cref="HostCreation.Gate"/> (see there why).</summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        lock (HostCreation.Gate)
        {
            return base.CreateHost(builder);
        }
    }

    private readonly SandboxServers _sandbox;
    private readonly string _redis;
    private readonly IReadOnlyDictionary<string, string>? _extra;

    public ApiServer(SandboxServers sandbox, string redis, int port, IReadOnlyDictionary<string, string>? extra = null)
    {
        _sandbox = sandbox;
        _redis = redis;
        _extra = extra;
        BaseAddress = LocalUrl(port);
        UseKestrel(port);
    }

    public Uri BaseAddress { get; }

    public static Uri LocalUrl(int port) => new($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");

    public static string CallbackFor(int port) => $"{LocalUrl(port).AbsoluteUri.TrimEnd('/')}/oauth/callback";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        GatewaySettings.Apply(builder, _sandbox, _redis, BaseAddress, _extra);
        builder.ConfigureLogging(logging => RunLog.AddTo(logging, "api", GatewaySettings.MasterKey));
    }
}

/// <summary>The MCP server on real Kestrel, sharing the Api's token store (Redis) and public URL.</summary>
public sealed class McpServer : WebApplicationFactory<Program>
{
    /// <summary>Builds the host under <see cref="HostCreation.Gate"/> (see there why).</summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        lock (HostCreation.Gate)
        {
            return base.CreateHost(builder);
        }
    }

    private readonly SandboxServers _sandbox;
    private readonly string _redis;
    private readonly Uri _apiBase;
    private readonly IReadOnlyDictionary<string, string>? _extra;
    private readonly Action<IWebHostBuilder>? _configure;

    /// <param name="configure">Anything else on the host (e.g. a log capture), applied last.</param>
    public McpServer(
        SandboxServers sandbox, string redis, Uri apiBase, int port, IReadOnlyDictionary<string, string>? extra = null, Action<IWebHostBuilder>? configure = null)
    {
        _sandbox = sandbox;
        _redis = redis;
        _apiBase = apiBase;
        _extra = extra;
        _configure = configure;
        Endpoint = new Uri(ApiServer.LocalUrl(port), "/mcp");
        UseKestrel(port);
    }

    public Uri Endpoint { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        GatewaySettings.Apply(builder, _sandbox, _redis, _apiBase, _extra);
        builder.ConfigureLogging(logging => RunLog.AddTo(logging, "mcp", GatewaySettings.MasterKey));
        _configure?.Invoke(builder);
    }
}
