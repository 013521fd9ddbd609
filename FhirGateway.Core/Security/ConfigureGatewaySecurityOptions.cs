using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Security;

/// <summary>Reads <see cref="GatewaySecurityOptions"/>; what does not parse is left for validation to name.</summary>
internal sealed class ConfigureGatewaySecurityOptions(IConfiguration configuration) : IConfigureOptions<GatewaySecurityOptions>
{
    public void Configure(GatewaySecurityOptions options)
    {
        options.UserPermits = Number(GatewaySecurityOptions.UserPermitsKey) ?? options.UserPermits;
        options.AnonymousPermits = Number(GatewaySecurityOptions.AnonymousPermitsKey) ?? options.AnonymousPermits;
        options.Window = Seconds(GatewaySecurityOptions.WindowKey) ?? options.Window;
        options.RequestTimeout = Seconds(GatewaySecurityOptions.RequestTimeoutKey) ?? options.RequestTimeout;

        foreach (var entry in (configuration[GatewaySecurityOptions.CorsOriginsKey] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (entry == "*")
            {
                options.CorsOrigins.Add(entry);
            }
            else if (Uri.TryCreate(entry, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo))
            {
                options.CorsOrigins.Add(uri.GetLeftPart(UriPartial.Authority));
            }
            else
            {
                options.Unreadable.Add($"{GatewaySecurityOptions.CorsOriginsKey} lists '{entry}': give origins only (scheme://host[:port], no path), or * alone.");
            }
        }

        foreach (var entry in (configuration[GatewaySecurityOptions.TrustedProxiesKey] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                options.TrustedProxies.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                options.TrustedProxies.Add(new IPNetwork(address, address.GetAddressBytes().Length * 8));
            }
            else
            {
                options.Unreadable.Add($"{GatewaySecurityOptions.TrustedProxiesKey} lists '{entry}': give IP addresses or CIDR networks (10.0.0.0/8), comma-separated.");
            }
        }

        if (configuration[GatewaySecurityOptions.CorsCredentialsKey] is { Length: > 0 } credentials)
        {
            if (bool.TryParse(credentials, out var allowed))
            {
                options.CorsCredentials = allowed;
            }
            else
            {
                options.Unreadable.Add($"{GatewaySecurityOptions.CorsCredentialsKey} must be true or false.");
            }
        }
    }

    private int? Number(string key) =>
        configuration[key] is { Length: > 0 } text
            ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : -1
            : null;

    private TimeSpan? Seconds(string key) =>
        configuration[key] is { Length: > 0 } text
            ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds) ? TimeSpan.FromSeconds(seconds) : TimeSpan.MinValue
            : null;
}

/// <summary>Fails start on a limit out of range or an unsafe CORS rule, naming the key.</summary>
internal sealed class ValidateGatewaySecurityOptions : IValidateOptions<GatewaySecurityOptions>
{
    private static readonly TimeSpan MaxWindow = TimeSpan.FromHours(1);
    private static readonly TimeSpan MaxRequestTimeout = TimeSpan.FromMinutes(10);

    public ValidateOptionsResult Validate(string? name, GatewaySecurityOptions options)
    {
        var failures = new List<string>(options.Unreadable);
        if (options.UserPermits < 1)
        {
            failures.Add($"{GatewaySecurityOptions.UserPermitsKey} must be a whole number of requests, at least 1.");
        }

        if (options.AnonymousPermits < 1)
        {
            failures.Add($"{GatewaySecurityOptions.AnonymousPermitsKey} must be a whole number of requests, at least 1.");
        }

        if (options.Window < TimeSpan.FromSeconds(1) || options.Window > MaxWindow)
        {
            failures.Add($"{GatewaySecurityOptions.WindowKey} must be a number of seconds from 1 to {MaxWindow.TotalSeconds}.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > MaxRequestTimeout)
        {
            failures.Add($"{GatewaySecurityOptions.RequestTimeoutKey} must be a number of seconds above 0 and at most {MaxRequestTimeout.TotalSeconds}.");
        }

        if (options.CorsOrigins.Contains("*") && options.CorsOrigins.Count > 1)
        {
            failures.Add($"{GatewaySecurityOptions.CorsOriginsKey} lists * with other origins: give * alone, or the origins alone.");
        }

        // Fetch standard §3.2.5: a credentialed request may not be answered with "Access-Control-Allow-Origin: *";
        // echoing any origin with credentials instead would hand every site the user's session.
        if (options.CorsOrigins.Contains("*") && options.CorsCredentials)
        {
            failures.Add($"{GatewaySecurityOptions.CorsOriginsKey}=* cannot be combined with {GatewaySecurityOptions.CorsCredentialsKey}=true: list the trusted origins instead.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
