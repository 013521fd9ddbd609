using FhirGateway.Api.Tests.Auth;
using FhirGateway.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FhirGateway.Api.Tests.Audit;

/// <summary>
/// The real sandbox and the gateway on Kestrel with every log entry captured: the app's own levels for other
/// categories (what a deployment writes), everything down to Trace for the gateway's own.
/// </summary>
public sealed class AuditFixture : GatewayFixture
{
    public CapturedLogs Logs { get; } = new();

    protected override void Configure(IWebHostBuilder builder) =>
        builder.ConfigureServices(services => services.AddLogging(logging =>
        {
            logging.AddProvider(Logs);
            logging.AddFilter<CapturedLogs>("FhirGateway", LogLevel.Trace);
        }));
}
