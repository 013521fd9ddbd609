using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Identity;

/// <summary>Reads <see cref="GatewayAuthOptions"/> from the flat keys; what does not parse is left for validation to name.</summary>
internal sealed class ConfigureGatewayAuthOptions(IConfiguration configuration) : IConfigureOptions<GatewayAuthOptions>
{
    public void Configure(GatewayAuthOptions options)
    {
        options.Issuer = Text(GatewayAuthOptions.IssuerKey);
        options.MetadataUrl = Text(GatewayAuthOptions.MetadataUrlKey);
        options.Audiences.AddRange((Text(GatewayAuthOptions.AudienceKey) ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        if (Text(GatewayAuthOptions.RequiredKey) is { } required)
        {
            if (bool.TryParse(required, out var value))
            {
                options.Required = value;
            }
            else
            {
                options.Unreadable.Add(GatewayAuthOptions.RequiredKey);
            }
        }

        if (Text(GatewayAuthOptions.ClockSkewKey) is { } skew)
        {
            options.ClockSkew = int.TryParse(skew, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
                ? TimeSpan.FromSeconds(seconds)
                : TimeSpan.MinValue;
        }
    }

    private string? Text(string key) => configuration[key] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}

/// <summary>Fails start on an incomplete or unsafe identity setting, naming the key.</summary>
internal sealed class ValidateGatewayAuthOptions(IHostEnvironment environment) : IValidateOptions<GatewayAuthOptions>
{
    private static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public ValidateOptionsResult Validate(string? name, GatewayAuthOptions options)
    {
        var failures = options.Unreadable.Select(key => $"{key} must be true or false.").ToList();
        if (options.Issuer is { } issuer && !IsProviderUrl(issuer))
        {
            failures.Add($"{GatewayAuthOptions.IssuerKey} must be the identity provider's issuer URL (https; http only in Development), e.g. https://id.example.com/realms/fhir-gateway.");
        }

        if (options.MetadataUrl is { } metadata && !IsProviderUrl(metadata))
        {
            failures.Add($"{GatewayAuthOptions.MetadataUrlKey} must be an absolute https URL (http only in Development).");
        }

        if (options.Enabled && options.Audiences.Count == 0)
        {
            failures.Add($"{GatewayAuthOptions.AudienceKey} must name the audience the gateway's tokens carry (aud) when {GatewayAuthOptions.IssuerKey} is set.");
        }

        if (!options.Enabled && (options.Audiences.Count > 0 || options.Required || options.MetadataUrl is not null))
        {
            failures.Add($"{GatewayAuthOptions.IssuerKey} must be set when {GatewayAuthOptions.AudienceKey}, {GatewayAuthOptions.RequiredKey} or {GatewayAuthOptions.MetadataUrlKey} is.");
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > MaxClockSkew)
        {
            failures.Add($"{GatewayAuthOptions.ClockSkewKey} must be a whole number of seconds from 0 to {MaxClockSkew.TotalSeconds}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Tokens signed by keys fetched over plain http could be forged by anyone on the path.</summary>
    private bool IsProviderUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && environment.IsDevelopment()))
        && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment);
}
