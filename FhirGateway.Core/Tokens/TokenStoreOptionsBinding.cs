using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace FhirGateway.Core.Tokens;

/// <summary>Reads the flat <c>FHIR_GATEWAY_*</c> keys into <see cref="TokenStoreOptions"/>.</summary>
internal static class TokenStoreOptionsBinding
{
    public static void Bind(TokenStoreOptions options, IConfiguration configuration)
    {
        var masterKey = configuration[TokenStoreOptions.MasterKeyKey];
        options.MasterKey = string.IsNullOrWhiteSpace(masterKey) ? null : masterKey.Trim();

        var previous = configuration[TokenStoreOptions.PreviousMasterKeysKey];
        options.PreviousMasterKeys.Clear();
        foreach (var key in (previous ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            options.PreviousMasterKeys.Add(key);
        }

        var cacheSeconds = configuration[TokenStoreOptions.TokenCacheSecondsKey];
        if (!string.IsNullOrWhiteSpace(cacheSeconds))
        {
            if (int.TryParse(cacheSeconds.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                options.TokenCacheDuration = TimeSpan.FromSeconds(seconds);
            }
            else
            {
                options.UnreadableTokenCacheSeconds = cacheSeconds;
            }
        }

        var maxAge = configuration[TokenStoreOptions.SessionMaxAgeKey];
        if (string.IsNullOrWhiteSpace(maxAge))
        {
            return;
        }

        if (TryParseDuration(maxAge.Trim(), out var parsed))
        {
            options.SessionMaxAge = parsed;
        }
        else
        {
            options.UnreadableSessionMaxAge = maxAge;
        }
    }

    /// <summary>Whole seconds (<c>2592000</c>) or an invariant TimeSpan (<c>30.00:00:00</c>).</summary>
    internal static bool TryParseDuration(string value, out TimeSpan duration)
    {
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            duration = seconds <= TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.MaxValue;
            return true;
        }

        return TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out duration);
    }
}
