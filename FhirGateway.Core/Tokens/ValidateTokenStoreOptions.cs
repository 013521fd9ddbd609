using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Tokens;

/// <summary>Fails start on a missing, short or unreadable setting, naming it.</summary>
internal sealed class ValidateTokenStoreOptions(TokenStoreInfo info) : IValidateOptions<TokenStoreOptions>
{
    /// <summary>Far beyond any sensible session, and within what Redis PEXPIRE takes.</summary>
    internal static readonly TimeSpan MaximumSessionMaxAge = TimeSpan.FromDays(3650);

    public ValidateOptionsResult Validate(string? name, TokenStoreOptions options)
    {
        var failures = new List<string>();
        if (options.MasterKey is null)
        {
            if (info.Backend == TokenStoreBackend.Redis)
            {
                failures.Add($"{TokenStoreOptions.MasterKeyKey} is required when the token store is Redis: set it to a random secret of at least {TokenStoreOptions.MinimumMasterKeyLength} characters (e.g. 'openssl rand -base64 48').");
            }

            if (options.PreviousMasterKeys.Count > 0)
            {
                failures.Add($"{TokenStoreOptions.PreviousMasterKeysKey} is set but {TokenStoreOptions.MasterKeyKey} is not: older keys are for reading only, set the current key too.");
            }
        }
        else if (options.MasterKey.Length < TokenStoreOptions.MinimumMasterKeyLength)
        {
            failures.Add($"{TokenStoreOptions.MasterKeyKey} is {options.MasterKey.Length} characters long; it must be at least {TokenStoreOptions.MinimumMasterKeyLength}.");
        }

        for (var i = 0; i < options.PreviousMasterKeys.Count; i++)
        {
            if (options.PreviousMasterKeys[i].Length < TokenStoreOptions.MinimumMasterKeyLength)
            {
                failures.Add($"{TokenStoreOptions.PreviousMasterKeysKey}: key {i + 1} is shorter than {TokenStoreOptions.MinimumMasterKeyLength} characters.");
            }
        }

        if (options.UnreadableSessionMaxAge is { } raw)
        {
            failures.Add($"{TokenStoreOptions.SessionMaxAgeKey} '{raw}' is neither whole seconds nor a TimeSpan such as 30.00:00:00.");
        }
        else if (options.SessionMaxAge <= TimeSpan.Zero || options.SessionMaxAge > MaximumSessionMaxAge)
        {
            failures.Add($"{TokenStoreOptions.SessionMaxAgeKey} must be more than zero and at most {MaximumSessionMaxAge.TotalDays} days.");
        }

        if (options.UnreadableTokenCacheSeconds is { } rawCache)
        {
            failures.Add($"{TokenStoreOptions.TokenCacheSecondsKey} '{rawCache}' is not whole seconds (0 turns the token cache off).");
        }
        else if (options.TokenCacheDuration < TimeSpan.Zero || options.TokenCacheDuration > TimeSpan.FromSeconds(TokenStoreOptions.MaximumTokenCacheSeconds))
        {
            failures.Add($"{TokenStoreOptions.TokenCacheSecondsKey} must be from 0 (off) to {TokenStoreOptions.MaximumTokenCacheSeconds} seconds.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
