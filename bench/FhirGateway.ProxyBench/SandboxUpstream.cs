using FhirGateway.Testing;

namespace FhirGateway.ProxyBench;

/// <summary>
/// <c>--upstream sandbox</c>: the second case beside the canned upstream, the project's SMART sandbox as real
/// processes (the Medplum FHIR engine on Node, which checks every request's JWT against its OAuth server's keys, and
/// oidc-provider), its <c>payer-a</c> base and seeded patient. The gateway connects through the sandbox's login form
/// as a user would; direct, YARP and nginx send an access token the bench got the same way, with the same scopes.
/// </summary>
internal sealed class SandboxUpstream : IAsyncDisposable
{
    /// <summary>Under the FHIR server's origin, where the benchmarked base is (what a proxy's origin is followed by).</summary>
    public const string BasePath = "/" + BaseName + "/fhir";

    public const string ReadPath = "Patient/" + SandboxServers.PatientId;

    /// <summary>The seeded patient's Observations, 20 to a page.</summary>
    public const string SearchPath = "Observation?patient=" + SandboxServers.PatientId + "&_count=20";

    private const string BaseName = "payer-a";

    /// <summary>The scopes the shipped <c>local-sandbox</c> platform asks for, less <c>offline_access</c>.</summary>
    private const string Scopes = "openid fhirUser launch/patient patient/*.rs";

    private readonly SandboxServers _servers;
    private readonly IReadOnlyList<string> _callbacks;

    private SandboxUpstream(SandboxServers servers, IReadOnlyList<string> callbacks, string accessToken)
    {
        _servers = servers;
        _callbacks = callbacks;
        AccessToken = accessToken;
    }

    /// <summary>The FHIR server's origin, which YARP and nginx forward to.</summary>
    public string Origin => _servers.FhirOrigin.AbsoluteUri.TrimEnd('/');

    public string FhirBase => _servers.FhirBase(BaseName);

    /// <summary>An access token for <see cref="FhirBase"/>, for the targets that are not the gateway.</summary>
    public string AccessToken { get; }

    public GatewayPlatform Platform
    {
        get
        {
            var issuer = _servers.AuthIssuer.AbsoluteUri.TrimEnd('/');
            return new GatewayPlatform(FhirBase, issuer + "/auth", issuer + "/token");
        }
    }

    /// <summary>Starts the sandbox (needs <c>npm ci</c> in <c>sandbox/</c>), accepting the given gateways' OAuth callbacks.</summary>
    public static async Task<SandboxUpstream> StartAsync(IReadOnlyList<string> gatewayOrigins)
    {
        string[] callbacks = [.. gatewayOrigins.Select(origin => origin + "/oauth/callback")];
        var servers = await SandboxServers.StartAsync(new SandboxOptions
        {
            Bases = [BaseName],
            RedirectUris = [SandboxServers.DefaultRedirectUri, .. callbacks],
            AccessTokenLifetime = TimeSpan.FromHours(8),
        });
        try
        {
            return new SandboxUpstream(servers, callbacks, await SandboxUserToken.GetAsync(servers, servers.FhirBase(BaseName), scope: Scopes));
        }
        catch
        {
            await servers.DisposeAsync();
            throw;
        }
    }

    /// <summary>The user's part of a gateway's login: the sandbox's form, as <c>patient</c>, up to the callback.</summary>
    public async Task<Uri> AuthorizeAsync(Uri authorizeUrl)
    {
        var callback = System.Web.HttpUtility.ParseQueryString(authorizeUrl.Query)["redirect_uri"];
        using var browser = new SandboxLogin();
        return await browser.AuthorizeAsync(authorizeUrl, _callbacks.Single(c => c == callback));
    }

    public ValueTask DisposeAsync() => _servers.DisposeAsync();
}
