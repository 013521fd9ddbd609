using System.Net;
using FhirGateway.Core.Errors;
using FhirGateway.Core.Platforms;

namespace FhirGateway.Core.Auth;

/// <summary>
/// Turns a platform id into a <see cref="SmartClient"/>: the platform must be usable and have a client id, and
/// its authorization server's endpoints come from configuration, the platform file and discovery.
/// </summary>
/// <remarks>
/// <para>Precedence, for each endpoint: a <c>FHIR_GATEWAY_PLATFORM_{ID}_*_URL</c> setting, then the platform file
/// (the registry has already applied the first over the second), then SMART discovery. The file wins over
/// discovery because it is what the operator reviewed; discovery only fills what it leaves out, so a
/// compromised or misconfigured <c>.well-known</c> document cannot redirect tokens elsewhere once the file names
/// the endpoints. The same for client authentication methods: the file's list first, then discovery's.</para>
/// <para>The issuer and <c>jwks_uri</c> are never in a platform file and only come from discovery (SMART
/// configuration, completed by the issuer's OpenID configuration). They are needed to check RFC 9207 <c>iss</c>
/// and to verify the id_token, so discovery is read when the platform's <c>discovery</c> flag is set, when an
/// endpoint is missing, or when the scopes include <c>openid</c>. Only the first two make a failed discovery fatal;
/// without discovery the login still works but no id_token claim (no <c>fhirUser</c>) is used.</para>
/// </remarks>
internal sealed class SmartClientResolver(IPlatformRegistry registry, SmartDiscovery discovery)
{
    /// <summary>The platform by id or alias.</summary>
    public Platform Find(string platformId) =>
        registry.Find(platformId) ?? throw new PlatformNotFoundException(platformId);

    /// <summary>The client for <paramref name="platform"/>; <paramref name="wantIdentity"/> asks for the issuer and its keys.</summary>
    public async Task<SmartClient> ResolveAsync(Platform platform, bool wantIdentity, CancellationToken cancellationToken)
    {
        if (platform.Problem is { } problem)
        {
            throw new PlatformNotConfiguredException(platform.Id, problem);
        }

        if (!registry.TryGetCredentials(platform.Id, out var credentials) || credentials.ClientId is not { } clientId)
        {
            throw new PlatformNotConfiguredException(platform.Id, $"No client id: set {PlatformSettings.Key(platform.Id, PlatformSettings.ClientId)}.");
        }

        var definition = platform.Definition;
        if (string.Equals(definition.OAuth.GrantType, "client_credentials", StringComparison.Ordinal))
        {
            throw new PlatformNotConfiguredException(platform.Id, "It is used with SMART Backend Services (client_credentials), not with a user's login.");
        }

        var oauth = definition.OAuth;
        var fhirBaseUrl = definition.FhirBaseUrl ?? throw new PlatformNotConfiguredException(platform.Id, $"No FHIR base URL: set {PlatformSettings.Key(platform.Id, PlatformSettings.FhirBaseUrl)}.");
        var needDiscovery = definition.Discovery || oauth.AuthorizeUrl is null || oauth.TokenUrl is null;
        var metadata = needDiscovery || wantIdentity
            ? await discovery.GetAsync(platform.Id, fhirBaseUrl, cancellationToken).ConfigureAwait(false)
            : null;

        var tokenUrl = oauth.TokenUrl ?? Absolute(metadata?.TokenEndpoint)
            ?? throw DiscoveryFailed(platform.Id, fhirBaseUrl, "token");
        var authorizeUrl = oauth.AuthorizeUrl ?? Absolute(metadata?.AuthorizationEndpoint);
        var methods = oauth.TokenEndpointAuthMethods.Concat(metadata?.TokenEndpointAuthMethodsSupported ?? []).Distinct(StringComparer.Ordinal).ToList();
        var endpoints = new AuthServerEndpoints(
            authorizeUrl,
            tokenUrl,
            oauth.RevokeUrl ?? Absolute(metadata?.RevocationEndpoint),
            metadata?.Issuer,
            Absolute(metadata?.JwksUri),
            metadata?.AuthorizationResponseIssParameterSupported == true,
            methods);

        // RFC 7636 §4.2: the gateway only ever sends S256; a platform listing methods without it cannot work.
        var challengeMethods = oauth.CodeChallengeMethods.Count > 0 ? oauth.CodeChallengeMethods : metadata?.CodeChallengeMethodsSupported ?? [];
        if (challengeMethods.Count > 0 && !challengeMethods.Contains("S256", StringComparer.Ordinal))
        {
            throw new PlatformNotConfiguredException(platform.Id, "It does not offer PKCE S256 (RFC 7636), which the gateway always uses.");
        }

        return new SmartClient(platform, credentials, clientId, endpoints, ClientAuthentication.Choose(credentials, methods));
    }

    /// <summary>The authorize URL, which only a start needs.</summary>
    public static string AuthorizeUrl(SmartClient client) =>
        client.Endpoints.AuthorizeUrl ?? throw DiscoveryFailed(client.PlatformId, client.FhirBaseUrl, "authorization");

    private static AuthorizationServerException DiscoveryFailed(string platformId, string fhirBaseUrl, string endpoint) =>
        new(HttpStatusCode.BadGateway, $"Platform '{platformId}' has no {endpoint} endpoint configured and its SMART configuration could not be read from {fhirBaseUrl.TrimEnd('/')}/.well-known/smart-configuration.");

    private static string? Absolute(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? url : null;
}
