using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Audit;

/// <summary>
/// Where audit events go besides the log providers: standard output (<see cref="AuditLogProvider"/>, on unless
/// turned off) and a FHIR server as R4 AuditEvent resources (only when its URL is set).
/// </summary>
internal sealed class AuditEventOptions
{
    /// <summary><c>true</c> (the default) or <c>false</c>: the audit trail on standard output.</summary>
    public const string StdoutKey = "FHIR_GATEWAY_AUDIT_STDOUT";

    /// <summary>The audit FHIR server's base URL (absolute http or https), e.g. <c>http://hapi:8080/fhir</c>.</summary>
    public const string FhirUrlKey = "FHIR_GATEWAY_AUDIT_FHIR_URL";

    /// <summary>The setting as given.</summary>
    public string? FhirUrl { get; set; }

    /// <summary>The base, checked by <see cref="ValidateAuditEventOptions"/>.</summary>
    public Uri? Endpoint => Uri.TryCreate(FhirUrl, UriKind.Absolute, out var uri) ? uri : null;

    /// <summary><see cref="StdoutKey"/> as given.</summary>
    public string? Stdout { get; set; }

    /// <summary>Whether the audit trail goes to standard output: unless the setting says <c>false</c>.</summary>
    public static bool WritesStdout(IConfiguration configuration) =>
        !bool.TryParse(configuration[StdoutKey], out var stdout) || stdout;
}

/// <summary>Reads <see cref="AuditEventOptions.FhirUrlKey"/> and <see cref="AuditEventOptions.StdoutKey"/>.</summary>
internal sealed class ConfigureAuditEventOptions(IConfiguration configuration) : IConfigureOptions<AuditEventOptions>
{
    public void Configure(AuditEventOptions options)
    {
        options.FhirUrl = configuration[AuditEventOptions.FhirUrlKey]?.Trim();
        options.Stdout = configuration[AuditEventOptions.StdoutKey]?.Trim();
    }
}

/// <summary>A wrong audit URL fails the start, naming the setting: an audit trail that silently goes nowhere is worse.</summary>
internal sealed class ValidateAuditEventOptions : IValidateOptions<AuditEventOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditEventOptions options)
    {
        if (!string.IsNullOrEmpty(options.Stdout) && !bool.TryParse(options.Stdout, out _))
        {
            return ValidateOptionsResult.Fail($"{AuditEventOptions.StdoutKey} must be true or false.");
        }

        if (string.IsNullOrEmpty(options.FhirUrl))
        {
            return ValidateOptionsResult.Success;
        }

        return options.Endpoint is { Scheme: "http" or "https" } uri && string.IsNullOrEmpty(uri.UserInfo) && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{AuditEventOptions.FhirUrlKey} must be the absolute http(s) base URL of a FHIR server, without credentials, query or fragment (e.g. http://hapi:8080/fhir).");
    }
}
