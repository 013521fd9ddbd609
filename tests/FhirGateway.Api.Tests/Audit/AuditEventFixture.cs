using FhirGateway.Api.Tests.Auth;
using FhirGateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FhirGateway.Api.Tests.Audit;

/// <summary>
/// The real sandbox with its open <c>audit</c> base as the audit FHIR server, and two gateways on Kestrel with every
/// log entry captured: one writing AuditEvents there, one whose audit server is down (a closed port).
/// </summary>
public sealed class AuditEventFixture : IAsyncLifetime
{
    private const string AuditUrlKey = "FHIR_GATEWAY_AUDIT_FHIR_URL";

    private SandboxServers? _sandbox;
    private GatewayServer? _gateway;
    private GatewayServer? _down;

    public SandboxServers Sandbox => _sandbox ?? throw new InvalidOperationException("Not started.");

    /// <summary>Writes AuditEvents to the sandbox's audit base.</summary>
    public GatewayServer Gateway => _gateway ?? throw new InvalidOperationException("Not started.");

    /// <summary>Its audit FHIR server never answers.</summary>
    public GatewayServer Down => _down ?? throw new InvalidOperationException("Not started.");

    public CapturedLogs Logs { get; } = new();

    public CapturedLogs DownLogs { get; } = new();

    public string AuditBase => Sandbox.FhirBase("audit");

    public async Task InitializeAsync()
    {
        var port = FreePort.Next();
        var downPort = FreePort.Next();
        _sandbox = await SandboxServers.StartAsync(new SandboxOptions
        {
            RedirectUris = [GatewayServer.CallbackFor(port), GatewayServer.CallbackFor(downPort)],
            Bases = ["payer-a", "ehr-b", "audit"],
        });
        _gateway = Start(port, AuditBase, Logs);
        _down = Start(downPort, $"http://127.0.0.1:{FreePort.Next()}/fhir", DownLogs);
    }

    private GatewayServer Start(int port, string auditUrl, CapturedLogs logs)
    {
        var gateway = new GatewayServer(Sandbox, port, redisConnectionString: null, new Dictionary<string, string> { [AuditUrlKey] = auditUrl },
            builder => builder.ConfigureServices(services => services.AddLogging(logging =>
            {
                logging.AddProvider(logs);
                logging.AddFilter<CapturedLogs>("FhirGateway", LogLevel.Trace);
            })));
        gateway.StartServer();
        return gateway;
    }

    public Task DisposeAsync() => Disposables.DisposeInOrderAsync(_gateway, _down, _sandbox);
}
