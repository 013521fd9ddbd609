using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FhirGateway.ScenarioBench;

/// <summary>
/// A gateway front-end (the Api's or the MCP server's Program) in this process on real Kestrel, as deployed:
/// Production environment, logging at Warning, the <c>local-sandbox</c> platform pointed at this benchmark's
/// stand-ins through its <c>FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_*</c> overrides.
/// </summary>
internal sealed class GatewayHost<TProgram>(IReadOnlyDictionary<string, string> settings) : WebApplicationFactory<TProgram>
    where TProgram : class
{
    public const string MasterKey = "scenario-bench-master-key-0123456789-abcdefghijklmnop";

    public int Port { get; } = FreeLoopbackPort();

    public string Origin => $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Starts Kestrel on <see cref="Port"/> and returns this host.</summary>
    public GatewayHost<TProgram> Start()
    {
        UseKestrel(Port);
        StartServer();
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("FHIR_GATEWAY_PUBLIC_URL", Origin);
        builder.UseSetting("FHIR_GATEWAY_MASTER_KEY", MasterKey);
        // The per-user and per-address limits (issue 7) would answer 429 under a storm; the limiter still runs.
        builder.UseSetting("FHIR_GATEWAY_RATE_LIMIT_PERMITS", "1000000000");
        builder.UseSetting("FHIR_GATEWAY_RATE_LIMIT_ANONYMOUS_PERMITS", "1000000000");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        // Console output per request would measure the terminal, not the gateway.
        builder.ConfigureLogging(logging => logging.ClearProviders());
    }

    /// <summary>WebApplicationFactory's Kestrel needs the port before it starts.</summary>
    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The platform every scenario uses: <c>local-sandbox</c>, its URLs overridden to this benchmark's stand-ins.</summary>
internal static class BenchPlatform
{
    public const string Id = "local-sandbox";
}
