using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using FhirGateway.Bench;
using FhirGateway.Core.Audit;
using FhirGateway.Core.Fhir;
using FhirGateway.Core.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace FhirGateway.Benchmarks.Pipeline;

/// <summary>
/// A proxied read's CPU and allocations in the proxy itself, the gateway against a plain YARP forwarder, each app as
/// deployed (hosting, middleware, routing, the forwarder and its own HTTP client) but served in process
/// (<see cref="InProcessServer"/>), its upstream HTTP/1.1 connection in memory (<see cref="CannedUpstream"/>): no
/// sockets, no server-side HTTP parsing, no other process to wake. ProxyBench measures the whole hop on this machine,
/// where the kernel's send path and the wake-up of the receiving core are as large as the proxy's work and swing with
/// it; this is the proxy's work alone, to a few tens of nanoseconds. The gateway's read: the session cookie, the
/// owner's connection from the in-memory token store (its decrypted copy), validation, the platform's circuit, the
/// bearer header (~1 KB), the answer's headers and the audit event (written by the audit trail's writer to nowhere),
/// under the security headers, rate limit and request timeout.
/// </summary>
[MemoryDiagnoser]
[InProcess]
public class PipelineBenchmarks : IDisposable
{
    private const string PlatformId = "local-sandbox";
    private const string UpstreamBase = "http://127.0.0.1:9/fhir";

    private readonly InProcessServer _gatewayServer = new();
    private readonly InProcessServer _yarpServer = new();
    private readonly CannedUpstream _gatewayUpstream = new();
    private readonly CannedUpstream _yarpUpstream = new();
    private GatewayApp? _gatewayApp;
    private WebApplication? _yarpApp;
    private InProcessExchange? _gateway;
    private InProcessExchange? _yarp;

    [GlobalSetup]
    public async Task StartAsync()
    {
        _gatewayApp = new GatewayApp(_gatewayServer, _gatewayUpstream);
        var services = _gatewayApp.Services; // builds and starts the host
        var session = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var connection = SampleEntries.Connection with { PlatformId = PlatformId, ExpiresAt = DateTimeOffset.UtcNow.AddDays(1) };
        await services.GetRequiredService<ITokenStore>().SaveAsync(OwnerKey.ForSession(session), connection);
        _gateway = _gatewayServer.Exchange(
            $"{FhirNames.GatewayRoutePrefix}/{PlatformId}/Patient/{CannedFhir.PatientId}",
            Headers(("Cookie", $"fhirgw_session={session}")));

        _yarpApp = StartYarp(_yarpServer, _yarpUpstream);
        await _yarpApp.StartAsync();
        _yarp = _yarpServer.Exchange($"/fhir/Patient/{CannedFhir.PatientId}", Headers());

        await CheckAsync(_gateway, _gatewayUpstream, $"Bearer {connection.AccessToken}", "nosniff");
        await CheckAsync(_yarp, _yarpUpstream, authorization: null, contentTypeOptions: null);
    }

    [Benchmark(Baseline = true, Description = "YARP forwarder: read")]
    public Task Yarp() => _yarp!.SendAsync();

    [Benchmark(Description = "Gateway: read")]
    public Task Gateway() => _gateway!.SendAsync();

    [GlobalCleanup]
    public void Dispose()
    {
        _gateway?.Dispose();
        _yarp?.Dispose();
        _gatewayApp?.Dispose();
        _yarpApp?.StopAsync().GetAwaiter().GetResult();
        (_yarpApp as IDisposable)?.Dispose();
        GC.SuppressFinalize(this);
    }

    private static HeaderDictionary Headers(params (string Name, string Value)[] more)
    {
        var headers = new HeaderDictionary { ["Host"] = "127.0.0.1:8080", ["Accept"] = "application/fhir+json" };
        foreach (var (name, value) in more)
        {
            headers[name] = value;
        }

        return headers;
    }

    /// <summary>
    /// Hosted as ProxyBench hosts its YARP baseline: the stock builder and logging levels, one catch-all forwarder with
    /// YARP's own HTTP client (its handler settings and trace propagation), connected to <paramref name="upstream"/>.
    /// </summary>
    private static WebApplication StartYarp(InProcessServer server, CannedUpstream upstream)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
            .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning)
            .AddFilter("Yarp", LogLevel.Warning);
        builder.Services.AddSingleton<IServer>(server);
        builder.Services.AddHttpForwarder();
        builder.Services.AddSingleton<IForwarderHttpClientFactory>(new CannedForwarderClients(upstream));
        var app = builder.Build();
        app.MapForwarder("/{**catch-all}", new Uri(UpstreamBase).GetLeftPart(UriPartial.Authority));
        return app;
    }

    /// <summary>Both proxies must relay the Patient whole, the gateway with the session's token upstream and its security headers.</summary>
    private static async Task CheckAsync(InProcessExchange exchange, CannedUpstream upstream, string? authorization, string? contentTypeOptions)
    {
        upstream.Recording = true;
        await exchange.SendAsync();
        upstream.Recording = false;
        var head = upstream.LastRequestHead?.Split("\r\n") ?? [];
        var sentPath = head.FirstOrDefault()?.Split(' ') is [_, var target, _] ? target : null;
        var sentAuthorization = head.FirstOrDefault(line => line.StartsWith("Authorization: ", StringComparison.OrdinalIgnoreCase))?["Authorization: ".Length..];
        if (exchange.StatusCode != StatusCodes.Status200OK
            || exchange.BodyBytes != CannedUpstream.Patient.Length
            || sentPath?.EndsWith($"/Patient/{CannedFhir.PatientId}", StringComparison.Ordinal) != true
            || !string.Equals(sentAuthorization, authorization, StringComparison.Ordinal)
            || (contentTypeOptions is not null && exchange.ResponseHeaders.XContentTypeOptions != contentTypeOptions))
        {
            // The status and sizes only: the token is not printed.
            throw new InvalidOperationException(
                $"The read did not go through: {exchange.StatusCode}, {exchange.BodyBytes} of {CannedUpstream.Patient.Length} bytes, " +
                $"upstream path {sentPath ?? "none"}, expected authorization sent: {string.Equals(sentAuthorization, authorization, StringComparison.Ordinal)}.");
        }
    }

    /// <summary>YARP's client factory (its handler settings), the handler connected to the canned upstream.</summary>
    private sealed class CannedForwarderClients(CannedUpstream upstream) : ForwarderHttpClientFactory
    {
        protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
        {
            base.ConfigureHandler(context, handler);
            handler.ConnectCallback = upstream.Connect;
        }
    }

    /// <summary>
    /// FhirGateway.Api as deployed in Production (its own Program and appsettings), on <see cref="InProcessServer"/>,
    /// with <c>local-sandbox</c> answered by <see cref="CannedUpstream"/> and the audit trail's standard output
    /// writer writing to nowhere. Rate limits high enough never to refuse (the limiter still runs).
    /// </summary>
    private sealed class GatewayApp : WebApplicationFactory<Program>
    {
        private readonly InProcessServer _server;
        private readonly CannedUpstream _upstream;

        public GatewayApp(InProcessServer server, CannedUpstream upstream)
        {
            _server = server;
            _upstream = upstream;
            // Not WebApplicationFactory's TestServer: the app's own IServer, replaced below by the in-process one.
            UseKestrel(0);
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("FHIR_GATEWAY_PUBLIC_URL", InProcessServer.Origin);
            builder.UseSetting("FHIR_GATEWAY_MASTER_KEY", SampleEntries.MasterKey);
            builder.UseSetting("FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_FHIR_BASE_URL", UpstreamBase);
            builder.UseSetting("FHIR_GATEWAY_RATE_LIMIT_PERMITS", "1000000000");
            builder.UseSetting("FHIR_GATEWAY_RATE_LIMIT_ANONYMOUS_PERMITS", "1000000000");
            builder.UseSetting(AuditEventOptions.StdoutKey, "false");
            builder.ConfigureTestServices(services =>
            {
                // The gateway's own handlers (its settings), connected to the canned upstream.
                foreach (var client in (string[])[FhirHttpClients.Upstream, FhirHttpClients.Untraced])
                {
                    services.AddHttpClient(client).ConfigurePrimaryHttpMessageHandler((handler, _) => ((SocketsHttpHandler)handler).ConnectCallback = _upstream.Connect);
                }

                // The audit trail's writer as deployed (FHIR_GATEWAY_AUDIT_STDOUT), its lines written to nowhere.
                services.AddSingleton<ILoggerProvider>(new AuditLogProvider(Stream.Null, TimeProvider.System));
                services.Configure<LoggerFilterOptions>(filters => filters.AddFilter<AuditLogProvider>(GatewayAudit.Category, LogLevel.Information));
            });
        }

        /// <summary>The in-process server, registered last: after the app's Kestrel and the factory's own server.</summary>
        protected override IHost CreateHost(IHostBuilder builder)
        {
            builder.ConfigureServices(services => services.AddSingleton<IServer>(_server));
            return base.CreateHost(builder);
        }
    }
}
