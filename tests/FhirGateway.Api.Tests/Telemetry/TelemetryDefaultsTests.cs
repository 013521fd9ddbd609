using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace FhirGateway.Api.Tests.Telemetry;

/// <summary>
/// Telemetry is collected when it has somewhere to go, and only then: with an OTLP endpoint (what the AppHost and azd
/// set) traces, metrics and logs are on; without one, or with the SDK's own off switch, none of them costs a request.
/// </summary>
public sealed class TelemetryDefaultsTests
{
    [Theory]
    [InlineData(null, null, false)]
    [InlineData("http://127.0.0.1:4318", null, true)]
    [InlineData("http://127.0.0.1:4318", "false", true)]
    [InlineData("http://127.0.0.1:4318", "true", false)]
    [InlineData(" ", null, false)]
    public void ServiceDefaults_CollectTelemetry_OnlyWhenExported(string? endpoint, string? disabled, bool collected)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint;
        builder.Configuration["OTEL_SDK_DISABLED"] = disabled;

        builder.ConfigureOpenTelemetry();

        using var services = builder.Services.BuildServiceProvider();
        Assert.Equal(collected, services.GetService<TracerProvider>() is not null);
        Assert.Equal(collected, services.GetService<MeterProvider>() is not null);
        Assert.Equal(collected, services.GetService<LoggerProvider>() is not null);
    }
}
