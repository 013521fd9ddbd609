using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FhirGateway.ProxyBench;

/// <summary>
/// FhirGateway.Api in this process on real Kestrel, as deployed: Production environment, in-memory token store
/// sealed with a master key, logging at Warning except the per-call audit event (Information, so it is built on
/// every request) which goes to <see cref="AuditSink"/>, no OpenTelemetry (no OTLP endpoint, so none is collected). The <c>local-sandbox</c> platform is pointed at the
/// canned upstream through its <c>FHIR_GATEWAY_PLATFORM_{ID}_FHIR_BASE_URL</c> override; the other platform
/// files load as shipped.
/// </summary>
internal sealed class GatewayHost : WebApplicationFactory<Program>
{
    public const string PlatformId = "local-sandbox";

    private readonly string _upstreamFhirBase;
    private readonly IReadOnlyDictionary<string, string?> _settings;

    /// <param name="upstreamFhirBase">The upstream the benchmarked platform points at.</param>
    /// <param name="settings">More settings, applied last (e.g. a Redis connection string for the Redis token store).</param>
    public GatewayHost(string upstreamFhirBase, IReadOnlyDictionary<string, string?>? settings = null)
    {
        _upstreamFhirBase = upstreamFhirBase;
        _settings = settings ?? new Dictionary<string, string?>();
        // WebApplicationFactory's Kestrel needs the port before it starts.
        Port = ProxyProcess.FreeLoopbackPort();
        UseKestrel(Port);
    }

    public int Port { get; }

    public string Origin => $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The gateway's FHIR base for the benchmarked platform.</summary>
    public string FhirBase => $"{Origin}/api/fhir/{PlatformId}";

    public AuditSink Audit { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("FHIR_GATEWAY_PUBLIC_URL", Origin);
        builder.UseSetting("FHIR_GATEWAY_MASTER_KEY", "proxy-bench-master-key-0123456789-abcdefghijklmnop");
        builder.UseSetting("FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_FHIR_BASE_URL", _upstreamFhirBase);
        // The per-user and per-address limits (issue 7) would answer 429 within a second of load; the limiter still runs.
        builder.UseSetting("FHIR_GATEWAY_RATE_LIMIT_PERMITS", "1000000000");
        builder.UseSetting("FHIR_GATEWAY_RATE_LIMIT_ANONYMOUS_PERMITS", "1000000000");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:FhirGateway.Audit", "Information");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging =>
        {
            // Console output at tens of thousands of lines a second would measure the terminal, not the gateway.
            logging.ClearProviders();
            logging.AddProvider(Audit);
        });
    }
}
