using FhirGateway.Core.Platforms;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Fhir;

/// <summary>Fails start on a setting out of range, naming the key.</summary>
internal sealed class ValidateFhirClientOptions : IValidateOptions<FhirClientOptions>
{
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);
    private const int MaxCountLimit = 10_000;

    public ValidateOptionsResult Validate(string? name, FhirClientOptions options)
    {
        var failures = new List<string>();
        if (!InRange(options.Timeout))
        {
            failures.Add($"{FhirClientOptions.TimeoutKey} must be a number of seconds above 0 and at most {MaxTimeout.TotalSeconds}.");
        }

        foreach (var (platformId, timeout) in options.PlatformTimeouts)
        {
            if (!InRange(timeout))
            {
                failures.Add($"{PlatformSettings.Key(platformId, FhirClientOptions.PlatformTimeoutSetting)} must be a number of seconds above 0 and at most {MaxTimeout.TotalSeconds}.");
            }
        }

        if (options.MaxRequestBodyBytes <= 0)
        {
            failures.Add($"{FhirClientOptions.MaxRequestBodyKey} must be a positive number of bytes.");
        }

        if (options.MaxCount is < 1 or > MaxCountLimit)
        {
            failures.Add($"{FhirClientOptions.MaxCountKey} must be a whole number of entries from 1 to {MaxCountLimit}.");
        }

        if (options.MaxBufferedBundleBytes <= 0)
        {
            failures.Add($"{FhirClientOptions.MaxBufferedBundleKey} must be a positive number of bytes.");
        }

        if (options.MetadataCacheDuration < TimeSpan.Zero)
        {
            failures.Add($"{FhirClientOptions.MetadataCacheKey} must be 0 or a positive number of seconds.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool InRange(TimeSpan timeout) => timeout > TimeSpan.Zero && timeout <= MaxTimeout;
}
