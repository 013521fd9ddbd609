using System.Globalization;
using FhirGateway.Core.Platforms;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Fhir;

/// <summary>Reads <see cref="FhirClientOptions"/> from the flat keys; a malformed number is left for validation to name.</summary>
internal sealed class ConfigureFhirClientOptions(IConfiguration configuration, IPlatformRegistry platforms) : IConfigureOptions<FhirClientOptions>
{
    public void Configure(FhirClientOptions options)
    {
        options.Timeout = Seconds(FhirClientOptions.TimeoutKey) ?? options.Timeout;
        options.MaxRequestBodyBytes = Number(FhirClientOptions.MaxRequestBodyKey) ?? options.MaxRequestBodyBytes;
        options.MaxCount = (int)Math.Clamp(Number(FhirClientOptions.MaxCountKey) ?? options.MaxCount, -1, int.MaxValue);
        options.MaxBufferedBundleBytes = Number(FhirClientOptions.MaxBufferedBundleKey) ?? options.MaxBufferedBundleBytes;
        options.MetadataCacheDuration = Seconds(FhirClientOptions.MetadataCacheKey) ?? options.MetadataCacheDuration;
        foreach (var platform in platforms.All)
        {
            if (Seconds(PlatformSettings.Key(platform.Id, FhirClientOptions.PlatformTimeoutSetting)) is { } timeout)
            {
                options.PlatformTimeouts[platform.Id] = timeout;
            }
        }
    }

    private TimeSpan? Seconds(string key) =>
        configuration[key] is { Length: > 0 } text
            ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : TimeSpan.MinValue
            : null;

    private long? Number(string key) =>
        configuration[key] is { Length: > 0 } text
            ? long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : -1
            : null;
}
