using System.Text;
using FhirGateway.Core.Audit;
using FhirGateway.Core.Fhir;
using FhirGateway.Core.Tokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FhirGateway.Core.Tests.Audit;

/// <summary>The audit trail on standard output: every event one line, in order, and nothing else.</summary>
public sealed class AuditLogTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EveryAuditEvent_IsOneLine_InOrder_AndOtherCategoriesAreNotWritten()
    {
        var output = new MemoryStream();
        var provider = new AuditLogProvider(output, new FakeTimeProvider(Now));
        using (var loggers = LoggerFactory.Create(logging => logging.AddProvider(provider).SetMinimumLevel(LogLevel.Trace)))
        {
            var audit = new GatewayAudit(loggers);
            var owner = OwnerKey.ForSession("session-id-that-must-not-appear");
            for (var i = 0; i < 2_500; i++)
            {
                audit.FhirCall(owner, "epic-sandbox", Read($"p{i}"), 200, TimeSpan.FromMilliseconds(12.34));
            }

            audit.Authorization("auth.refresh", "success", owner, "epic-sandbox", "-", TimeSpan.FromMilliseconds(5));
            loggers.CreateLogger("FhirGateway.Core.Fhir.FhirClient").Log(LogLevel.Warning, new EventId(1), "A diagnostic, not an audit event.", null, static (text, _) => text);

            // Disposing the provider writes what is still queued.
            provider.Dispose();
        }

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2_501, lines.Length);
        for (var i = 0; i < 2_500; i++)
        {
            Assert.StartsWith("2026-11-28T12:00:00.000Z FhirGateway.Audit[7002] Audit action=fhir.read outcome=success owner=", lines[i], StringComparison.Ordinal);
            Assert.Contains($" platform=epic-sandbox type=Patient id=p{i} operation=- status=200 duration_ms=12.3 ", lines[i], StringComparison.Ordinal);
        }

        Assert.StartsWith("2026-11-28T12:00:00.000Z FhirGateway.Audit[7001] Audit action=auth.refresh outcome=success", lines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(lines, line => line.Contains("session-id-that-must-not-appear", StringComparison.Ordinal) || line.Contains("diagnostic", StringComparison.Ordinal));
    }

    [Fact]
    public void Stdout_IsOnByDefault_AndOffWithFalse()
    {
        using var byDefault = Host(null);
        using var off = Host("false");

        Assert.Single(byDefault.Services.GetServices<ILoggerProvider>().OfType<AuditLogProvider>());
        Assert.Empty(off.Services.GetServices<ILoggerProvider>().OfType<AuditLogProvider>());
    }

    [Fact]
    public void Stdout_NeitherTrueNorFalse_FailsNamingTheSetting()
    {
        using var host = Host("yes");

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<AuditEventOptions>>().Value);

        Assert.Contains(AuditEventOptions.StdoutKey, failure.Message, StringComparison.Ordinal);
    }

    private static FhirRequest Read(string id) => new()
    {
        PlatformId = "epic-sandbox",
        Interaction = FhirInteraction.Read,
        Method = HttpMethod.Get,
        ResourceType = "Patient",
        Id = id,
    };

    private static IHost Host(string? stdout)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        if (stdout is not null)
        {
            builder.Configuration.AddInMemoryCollection([new(AuditEventOptions.StdoutKey, stdout)]);
        }

        builder.AddAuditEventOutput();
        return builder.Build();
    }
}
