using System.Globalization;
using FhirGateway.Core.Auth;
using Microsoft.Extensions.Options;

namespace FhirGateway.Mcp.Hosting;

/// <summary>
/// Reads <see cref="McpGatewayOptions"/>: the loopback hosts, the host of <c>FHIR_GATEWAY_PUBLIC_URL</c> (the
/// gateway's public address) and <c>FHIR_GATEWAY_MCP_ALLOWED_HOSTS</c>.
/// </summary>
internal sealed class ConfigureMcpGatewayOptions(IConfiguration configuration) : IConfigureOptions<McpGatewayOptions>
{
    public void Configure(McpGatewayOptions options)
    {
        options.AllowedHosts.UnionWith(McpGatewayOptions.LoopbackHosts);
        if (Uri.TryCreate(configuration[SmartAuthOptions.PublicUrlKey], UriKind.Absolute, out var publicUrl))
        {
            options.AllowedHosts.Add(publicUrl.Host);
        }

        foreach (var entry in (configuration[McpGatewayOptions.AllowedHostsKey] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (HostGuard.NormalizeHost(entry) is { } host)
            {
                options.AllowedHosts.Add(host);
            }
            else
            {
                options.InvalidHosts.Add(entry);
            }
        }

        if (configuration[McpGatewayOptions.MaxResultCharsKey] is { Length: > 0 } max)
        {
            // An unreadable number becomes an impossible value, which the validator reports naming the key.
            options.MaxResultChars = int.TryParse(max, NumberStyles.Integer, CultureInfo.InvariantCulture, out var chars) ? chars : -1;
        }
    }
}

/// <summary>Fails start on a setting out of range, naming the key.</summary>
internal sealed class ValidateMcpGatewayOptions : IValidateOptions<McpGatewayOptions>
{
    public const int MinResultChars = 2_000;
    public const int MaxResultChars = 1_000_000;

    public ValidateOptionsResult Validate(string? name, McpGatewayOptions options)
    {
        var failures = new List<string>();
        if (options.InvalidHosts.Count > 0)
        {
            failures.Add($"{McpGatewayOptions.AllowedHostsKey} lists '{string.Join("', '", options.InvalidHosts)}': give host names only (e.g. gateway.example.com), without scheme, port or path.");
        }

        if (options.MaxResultChars is < MinResultChars or > MaxResultChars)
        {
            failures.Add($"{McpGatewayOptions.MaxResultCharsKey} must be a whole number of characters from {MinResultChars} to {MaxResultChars}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
