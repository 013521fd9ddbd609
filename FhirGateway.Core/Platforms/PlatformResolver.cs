using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace FhirGateway.Core.Platforms;

/// <summary>
/// Applies configuration to one definition: URL overrides, <c>{placeholder}</c> values and credentials, and decides
/// whether the platform is usable, naming the setting to fix when it is not.
/// </summary>
internal static partial class PlatformResolver
{
    public static (Platform Platform, PlatformCredentials Credentials) Resolve(PlatformDefinition definition, IConfiguration configuration)
    {
        string? Setting(string name) => NullIfBlank(configuration[PlatformSettings.Key(definition.Id, name)]);

        var missing = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        string? Url(string? fromFile, string setting, string field)
        {
            var url = Setting(setting) ?? NullIfBlank(fromFile);
            return url is null ? null : FillPlaceholders(url, field, definition.Id, configuration, missing);
        }

        var oauth = definition.OAuth;
        var coverage = definition.Coverage;
        var resolved = definition with
        {
            Coverage = coverage with
            {
                CdsServicesUrl = Url(coverage.CdsServicesUrl, PlatformSettings.CdsServicesUrl, "coverage.cds_services_url"),
                DtrFhirBaseUrl = Url(coverage.DtrFhirBaseUrl, PlatformSettings.DtrFhirBaseUrl, "coverage.dtr_fhir_base_url"),
                PasFhirBaseUrl = Url(coverage.PasFhirBaseUrl, PlatformSettings.PasFhirBaseUrl, "coverage.pas_fhir_base_url"),
            },
            FhirBaseUrl = Url(definition.FhirBaseUrl, PlatformSettings.FhirBaseUrl, "fhir_base_url"),
            OAuth = oauth with
            {
                AuthorizeUrl = Url(oauth.AuthorizeUrl, PlatformSettings.AuthorizeUrl, "oauth.authorize_url"),
                TokenUrl = Url(oauth.TokenUrl, PlatformSettings.TokenUrl, "oauth.token_url"),
                RevokeUrl = Url(oauth.RevokeUrl, PlatformSettings.RevokeUrl, "oauth.revoke_url"),
            },
        };

        var keyName = definition.BackendServices?.KeyName ?? PlatformSettings.Key(definition.Id, PlatformSettings.PrivateKey);
        var credentials = new PlatformCredentials(
            Setting(PlatformSettings.ClientId) ?? NullIfBlank(oauth.ClientId),
            Setting(PlatformSettings.ClientSecret),
            NullIfBlank(configuration[keyName]));
        var registered = credentials.ClientId is not null;
        return (new Platform(resolved, registered, Problem(resolved, registered, missing)), credentials);
    }

    private static string? Problem(PlatformDefinition platform, bool registered, SortedDictionary<string, SortedSet<string>> missing)
    {
        if (missing.Count > 0)
        {
            return string.Join(" ", missing.Select(m => $"Set {m.Key} (fills {{{PlaceholderOf(m.Key, platform.Id)}}} in {string.Join(", ", m.Value)})."));
        }

        if (platform.FhirBaseUrl is null)
        {
            return $"No FHIR base URL: set {PlatformSettings.Key(platform.Id, PlatformSettings.FhirBaseUrl)}.";
        }

        if (!platform.Open && !platform.Discovery && platform.OAuth.TokenUrl is null)
        {
            return $"No token endpoint and no SMART discovery: set {PlatformSettings.Key(platform.Id, PlatformSettings.TokenUrl)}.";
        }

        if (!registered && !platform.Open)
        {
            var portal = platform.DeveloperPortal is null ? "" : $" from {platform.DeveloperPortal}";
            return $"Needs registration: register an app{portal} and set {PlatformSettings.Key(platform.Id, PlatformSettings.ClientId)}.";
        }

        return null;
    }

    private static string FillPlaceholders(string url, string field, string id, IConfiguration configuration, SortedDictionary<string, SortedSet<string>> missing) =>
        Placeholder().Replace(url, match =>
        {
            var key = PlatformSettings.Key(id, match.Groups[1].Value.ToUpperInvariant());
            var value = NullIfBlank(configuration[key]);
            if (value is not null)
            {
                // A placeholder fills one path segment or host label: escape so a value cannot reshape the URL.
                return Uri.EscapeDataString(value);
            }

            if (!missing.TryGetValue(key, out var fields))
            {
                missing[key] = fields = new SortedSet<string>(StringComparer.Ordinal);
            }

            fields.Add(field);
            return match.Value;
        });

    private static string PlaceholderOf(string key, string id) =>
        key[(PlatformSettings.Prefix.Length + PlatformSettings.KeyPart(id).Length + 1)..].ToLowerInvariant();

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex(@"\{([A-Za-z][A-Za-z0-9_]*)\}")]
    private static partial Regex Placeholder();
}
