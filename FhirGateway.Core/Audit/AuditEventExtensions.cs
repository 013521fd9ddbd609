using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Audit;

/// <summary>Registers the outputs of the audit trail besides the log providers: standard output and FHIR AuditEvents.</summary>
internal static class AuditEventExtensions
{
    /// <summary>
    /// Every audit event goes to standard output through <see cref="AuditLogProvider"/> unless
    /// <see cref="AuditEventOptions.StdoutKey"/> is <c>false</c> (the console logger no longer writes the category).
    /// With <see cref="AuditEventOptions.FhirUrlKey"/> set (checked at start), every audit event is also written to
    /// that FHIR server as an AuditEvent.
    /// </summary>
    public static IHostApplicationBuilder AddAuditEventOutput(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuditEventOptions>().ValidateOnStart();
        builder.Services.AddSingleton<IConfigureOptions<AuditEventOptions>, ConfigureAuditEventOptions>();
        builder.Services.AddSingleton<IValidateOptions<AuditEventOptions>, ValidateAuditEventOptions>();
        builder.Logging.AddFilter<ConsoleLoggerProvider>(GatewayAudit.Category, LogLevel.None);
        if (AuditEventOptions.WritesStdout(builder.Configuration))
        {
            builder.Services.AddSingleton<ILoggerProvider>(services =>
                new AuditLogProvider(Console.OpenStandardOutput(), services.GetService<TimeProvider>() ?? TimeProvider.System));
            // Like the AuditEvent output: the audit trail is not subject to the log levels set for diagnostics.
            builder.Logging.AddFilter<AuditLogProvider>(GatewayAudit.Category, LogLevel.Information);
        }

        if (string.IsNullOrWhiteSpace(builder.Configuration[AuditEventOptions.FhirUrlKey]))
        {
            return builder;
        }

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AuditEventQueue>();
        builder.Services.AddSingleton<ILoggerProvider, AuditEventLoggerProvider>();
        // The audit trail is not subject to the log levels set for sinks of diagnostics.
        builder.Logging.AddFilter<AuditEventLoggerProvider>(GatewayAudit.Category, LogLevel.Information);
        builder.Services.AddHostedService<AuditEventWriter>();
        builder.Services.AddHttpClient(AuditEventWriter.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                UseCookies = false,
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.All,
                ConnectTimeout = TimeSpan.FromSeconds(5),
            })
            .ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(15))
            .RemoveAllLoggers()
            // Not the ServiceDefaults' standard resilience handler: it would retry the POST on its own schedule; the
            // writer retries, then counts the drop.
            .ConfigureAdditionalHttpMessageHandlers((handlers, _) => handlers.Clear());
        return builder;
    }
}
