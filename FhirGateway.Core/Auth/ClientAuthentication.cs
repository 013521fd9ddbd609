using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FhirGateway.Core.Platforms;

namespace FhirGateway.Core.Auth;

/// <summary>Chooses and applies the client authentication for the token and revocation endpoints.</summary>
internal static class ClientAuthentication
{
    private const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>
    /// The method the credentials allow, in the order the platform lists methods (its file first, then
    /// discovery). A configured key means private_key_jwt unless the platform lists only secret methods; a secret
    /// means client_secret_basic unless the platform lists client_secret_post first (RFC 6749 §2.3.1: servers
    /// MUST support Basic). No secret and no key: a public client.
    /// </summary>
    public static ClientAuthMethod Choose(PlatformCredentials credentials, IReadOnlyList<string> advertised)
    {
        bool Lists(string method) => advertised.Contains(method, StringComparer.Ordinal);
        var secretMethod = advertised
            .Select(m => m switch { "client_secret_basic" => ClientAuthMethod.ClientSecretBasic, "client_secret_post" => ClientAuthMethod.ClientSecretPost, _ => (ClientAuthMethod?)null })
            .FirstOrDefault(m => m is not null) ?? ClientAuthMethod.ClientSecretBasic;

        if (credentials.PrivateKey is not null && (credentials.ClientSecret is null || Lists("private_key_jwt") || !advertised.Any(m => m.StartsWith("client_secret_", StringComparison.Ordinal))))
        {
            return ClientAuthMethod.PrivateKeyJwt;
        }

        return credentials.ClientSecret is not null ? secretMethod : ClientAuthMethod.None;
    }

    /// <summary>Adds the client's authentication to a token or revocation request.</summary>
    public static void Apply(SmartClient client, HttpRequestMessage request, Dictionary<string, string> form, DateTimeOffset now)
    {
        switch (client.AuthMethod)
        {
            case ClientAuthMethod.ClientSecretBasic:
                // RFC 6749 §2.3.1: id and secret are form-encoded before Base64.
                var pair = $"{WebUtility.UrlEncode(client.ClientId)}:{WebUtility.UrlEncode(client.Credentials.ClientSecret)}";
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
                break;
            case ClientAuthMethod.ClientSecretPost:
                form["client_id"] = client.ClientId;
                form["client_secret"] = client.Credentials.ClientSecret!;
                break;
            case ClientAuthMethod.PrivateKeyJwt:
                form["client_assertion_type"] = AssertionType;
                form["client_assertion"] = Assertion(client, now);
                break;
            default:
                form["client_id"] = client.ClientId;
                break;
        }
    }

    private static string Assertion(SmartClient client, DateTimeOffset now)
    {
        var settings = client.Platform.Definition.BackendServices;
        try
        {
            return ClientAssertion.Create(client.ClientId, client.Endpoints.TokenUrl, client.Credentials.PrivateKey!, settings?.KeyId, settings?.Algorithm, now);
        }
        catch (Exception e) when (e is ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            // The key itself never goes into the message; only where it is configured.
            var keyName = settings?.KeyName ?? PlatformSettings.Key(client.PlatformId, PlatformSettings.PrivateKey);
            throw new Errors.PlatformNotConfiguredException(client.PlatformId, $"{keyName} is not a PEM {settings?.Algorithm ?? "RS384"} private key.");
        }
    }
}
