using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Auth;

/// <summary>Reads <see cref="SmartAuthOptions"/> from the flat keys; in Development falls back to the local redirect URI.</summary>
internal sealed class ConfigureSmartAuthOptions(IConfiguration configuration, IHostEnvironment? environment = null)
    : IConfigureOptions<SmartAuthOptions>
{
    public void Configure(SmartAuthOptions options)
    {
        options.PublicUrl = NullIfBlank(configuration[SmartAuthOptions.PublicUrlKey])?.TrimEnd('/');
        options.RedirectUri = NullIfBlank(configuration[SmartAuthOptions.RedirectUriKey])
            ?? (options.PublicUrl is null ? null : options.PublicUrl + SmartAuthOptions.CallbackPath);
        if (options.RedirectUri is null && environment?.IsDevelopment() == true)
        {
            options.RedirectUri = SmartAuthOptions.DevelopmentRedirectUri;
            options.UsesDevelopmentDefault = true;
        }

        options.RefreshMargin = Seconds(SmartAuthOptions.RefreshMarginKey) ?? options.RefreshMargin;
        options.HttpTimeout = Seconds(SmartAuthOptions.HttpTimeoutKey) ?? options.HttpTimeout;
        options.PendingLifetime = Seconds(SmartAuthOptions.PendingLifetimeKey) ?? options.PendingLifetime;
    }

    private TimeSpan? Seconds(string key)
    {
        var value = NullIfBlank(configuration[key]);
        if (value is null)
        {
            return null;
        }

        // An unreadable number becomes an impossible value, which the validator reports naming the key.
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.MinValue;
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
