using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Platforms;

/// <summary>Fails start when the platforms folder is missing, naming the setting.</summary>
internal sealed class ValidatePlatformRegistryOptions : IValidateOptions<PlatformRegistryOptions>
{
    public ValidateOptionsResult Validate(string? name, PlatformRegistryOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            return ValidateOptionsResult.Fail($"{PlatformRegistryOptions.PathKey} is empty: set it to a folder of platform files or leave it unset for the default.");
        }

        return Directory.Exists(options.Path)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{PlatformRegistryOptions.PathKey}: the folder '{options.Path}' does not exist.");
    }
}
