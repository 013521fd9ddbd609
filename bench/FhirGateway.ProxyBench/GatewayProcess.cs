using System.Globalization;

namespace FhirGateway.ProxyBench;

/// <summary>
/// FhirGateway.Api as deployed, in its own process: the Release build's <c>FhirGateway.Api.dll</c> run with
/// <c>dotnet</c>, Production environment, in-memory token store sealed with a master key, the stock logging
/// providers at Warning except the per-call audit event (Information: formatted and written on every request, to a
/// log file as a container's stdout would be), OpenTelemetry off unless asked to export (as deployed without or
/// with a collector). The
/// <c>local-sandbox</c> platform is pointed at the canned upstream, its FHIR base and its OAuth endpoints, through
/// the <c>FHIR_GATEWAY_PLATFORM_{ID}_*</c> overrides; the other platform files load as shipped.
/// </summary>
internal static class GatewayProcess
{
    public const string PlatformId = "local-sandbox";

    /// <summary>Where a proxied call's audit event is recognised in the log.</summary>
    public const string AuditMarker = "Audit action=fhir.";

    /// <param name="platform">Where the benchmarked platform's FHIR server and OAuth endpoints are.</param>
    /// <param name="otlpSink">An origin that takes OTLP/HTTP exports, or null: no endpoint, so no telemetry.</param>
    /// <param name="port">The port to listen on, when an authorization server must know its callback first.</param>
    public static Task<ProxyProcess> StartAsync(
        string name, GatewayPlatform platform, string? otlpSink, IReadOnlyList<string> settings, string? apiDirectory = null, IReadOnlyList<string>? variables = null,
        int? port = null)
    {
        port ??= ProxyProcess.FreeLoopbackPort();
        var origin = Origin(port.Value);
        var api = apiDirectory ?? ApiDirectory();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = origin,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["FHIR_GATEWAY_PUBLIC_URL"] = origin,
            ["FHIR_GATEWAY_MASTER_KEY"] = "proxy-bench-master-key-0123456789-abcdefghijklmnop",
            ["FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_FHIR_BASE_URL"] = platform.FhirBase,
            ["FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_AUTHORIZE_URL"] = platform.AuthorizeUrl,
            ["FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_TOKEN_URL"] = platform.TokenUrl,
            // The per-user and per-address limits (issue 7) would answer 429 within a second of load; the limiter still runs.
            ["FHIR_GATEWAY_RATE_LIMIT_PERMITS"] = "1000000000",
            ["FHIR_GATEWAY_RATE_LIMIT_ANONYMOUS_PERMITS"] = "1000000000",
        };
        // ServiceDefaults collect telemetry only when it has somewhere to go: the sink, which answers every export at
        // once, or nowhere (an endpoint inherited from this shell would otherwise decide).
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlpSink ?? "";
        if (otlpSink is not null)
        {
            environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        }

        foreach (var (key, value) in ProxyProcess.Variables(variables ?? []))
        {
            environment[key] = value;
        }

        // Logging levels on the command line: a category name has a dot, which no shell passes on in a variable name.
        string[] arguments =
        [
            Path.Combine(api, "FhirGateway.Api.dll"), "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:FhirGateway.Audit=Information",
            .. settings.Select(setting => "--" + setting),
        ];
        return ProxyProcess.StartAsync(name, port.Value, arguments, environment, "/alive", api);
    }

    /// <summary>A gateway's origin on <paramref name="port"/> (its OAuth callback is under it).</summary>
    public static string Origin(int port) => $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The gateway's FHIR base for the benchmarked platform.</summary>
    public static string FhirBase(ProxyProcess gateway) => $"{gateway.Origin}/api/fhir/{PlatformId}";

    /// <summary>Audit events of proxied calls written so far.</summary>
    public static int AuditEvents(ProxyProcess gateway)
    {
        using var stream = new FileStream(gateway.LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var count = 0;
        while (reader.ReadLine() is { } line)
        {
            count += line.Contains(AuditMarker, StringComparison.Ordinal) ? 1 : 0;
        }

        return count;
    }

    /// <summary>The Api's own build output beside this one: bench/FhirGateway.ProxyBench/bin/X/Y → FhirGateway.Api/bin/X/Y.</summary>
    private static string ApiDirectory()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = here.Name;
        var configuration = here.Parent!.Name;
        var root = here.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var api = Path.Combine(root, "FhirGateway.Api", "bin", configuration, framework);
        return File.Exists(Path.Combine(api, "FhirGateway.Api.dll"))
            ? api
            : throw new InvalidOperationException($"FhirGateway.Api.dll not found in {api}: build the benchmark with dotnet build/run -c Release.");
    }
}
