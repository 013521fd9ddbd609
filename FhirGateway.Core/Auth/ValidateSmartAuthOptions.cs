using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Auth;

/// <summary>Fails start on a missing or wrong SMART setting, naming the key.</summary>
internal sealed class ValidateSmartAuthOptions : IValidateOptions<SmartAuthOptions>
{
    public ValidateOptionsResult Validate(string? name, SmartAuthOptions options)
    {
        var failures = new List<string>();
        if (options.RedirectUri is null)
        {
            failures.Add($"Set {SmartAuthOptions.PublicUrlKey} (the gateway's public URL; the redirect URI is it + {SmartAuthOptions.CallbackPath}) or {SmartAuthOptions.RedirectUriKey} (the exact redirect URI registered with the platforms).");
        }
        else if (!IsHttpUrl(options.RedirectUri, out var redirect) || redirect.Fragment.Length > 0)
        {
            // RFC 6749 §3.1.2: an absolute URI without a fragment.
            failures.Add($"{KeyOfRedirect(options)} must give an absolute http(s) redirect URI without a fragment; got '{options.RedirectUri}'.");
        }

        if (options.PublicUrl is not null && !IsHttpUrl(options.PublicUrl, out _))
        {
            failures.Add($"{SmartAuthOptions.PublicUrlKey} must be an absolute http(s) URL; got '{options.PublicUrl}'.");
        }

        Range(failures, SmartAuthOptions.RefreshMarginKey, options.RefreshMargin, TimeSpan.Zero, TimeSpan.FromHours(1));
        Range(failures, SmartAuthOptions.HttpTimeoutKey, options.HttpTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));
        Range(failures, SmartAuthOptions.PendingLifetimeKey, options.PendingLifetime, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string KeyOfRedirect(SmartAuthOptions options) =>
        options.PublicUrl is not null && options.RedirectUri == options.PublicUrl + SmartAuthOptions.CallbackPath
            ? SmartAuthOptions.PublicUrlKey
            : SmartAuthOptions.RedirectUriKey;

    private static bool IsHttpUrl(string value, out Uri uri) =>
        Uri.TryCreate(value, UriKind.Absolute, out uri!) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static void Range(List<string> failures, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{key} must be a number of seconds from {min.TotalSeconds} to {max.TotalSeconds}.");
        }
    }
}
