namespace FhirGateway.Core.Auth;

/// <summary>
/// Settings of the SMART authorization service, from flat configuration keys (environment variables).
/// Validated at start by <see cref="ValidateSmartAuthOptions"/>, which names the key to fix.
/// </summary>
public sealed class SmartAuthOptions
{
    /// <summary>The gateway's public base URL; the redirect URI is this plus <see cref="CallbackPath"/>.</summary>
    public const string PublicUrlKey = "FHIR_GATEWAY_PUBLIC_URL";

    /// <summary>The exact redirect URI registered with the platforms; wins over <see cref="PublicUrlKey"/>.</summary>
    public const string RedirectUriKey = "FHIR_GATEWAY_OAUTH_REDIRECT_URI";

    /// <summary>Seconds before expiry at which an access token is refreshed (default 60).</summary>
    public const string RefreshMarginKey = "FHIR_GATEWAY_OAUTH_REFRESH_MARGIN_SECONDS";

    /// <summary>Seconds to wait for a platform's authorization server (default 10).</summary>
    public const string HttpTimeoutKey = "FHIR_GATEWAY_OAUTH_HTTP_TIMEOUT_SECONDS";

    /// <summary>Seconds a started authorization may take to come back (default 600).</summary>
    public const string PendingLifetimeKey = "FHIR_GATEWAY_OAUTH_PENDING_LIFETIME_SECONDS";

    /// <summary>The gateway's OAuth callback route.</summary>
    public const string CallbackPath = "/oauth/callback";

    /// <summary>The redirect URI used in Development when neither key is set.</summary>
    public const string DevelopmentRedirectUri = "http://localhost:5080" + CallbackPath;

    /// <summary>The gateway's public base URL (no trailing slash); null when only the redirect URI is set.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>The redirect URI sent to every platform.</summary>
    public string? RedirectUri { get; set; }

    /// <summary>Whether <see cref="RedirectUri"/> is the Development default because nothing was configured.</summary>
    public bool UsesDevelopmentDefault { get; set; }

    /// <summary>How long before expiry an access token is refreshed.</summary>
    public TimeSpan RefreshMargin { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Timeout of every request to an authorization server.</summary>
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a started authorization stays acceptable.</summary>
    public TimeSpan PendingLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Where the gateway's own routes live, for login links: <see cref="PublicUrl"/>, else the redirect URI
    /// without <see cref="CallbackPath"/>, else the redirect URI's origin.
    /// </summary>
    public string PublicBase
    {
        get
        {
            if (PublicUrl is not null)
            {
                return PublicUrl.TrimEnd('/');
            }

            var redirect = RedirectUri ?? DevelopmentRedirectUri;
            return redirect.EndsWith(CallbackPath, StringComparison.Ordinal)
                ? redirect[..^CallbackPath.Length]
                : new Uri(redirect).GetLeftPart(UriPartial.Authority);
        }
    }

    /// <summary>The gateway route that starts a login to <paramref name="platformId"/>.</summary>
    public string LoginUrl(string platformId) => $"{PublicBase}/auth/{Uri.EscapeDataString(platformId)}/login";
}
