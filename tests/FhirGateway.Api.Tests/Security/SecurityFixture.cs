using System.Collections.Concurrent;
using FhirGateway.Api.Tests.Auth;
using FhirGateway.Testing;

namespace FhirGateway.Api.Tests.Security;

/// <summary>
/// The real sandbox issuing tokens for the gateway's own audience, and three Apis on Kestrel trusting it:
/// <see cref="Open"/> (bearer tokens accepted, not required; CORS for <see cref="AllowedOrigin"/>),
/// <see cref="Required"/> (a user token required) and <see cref="Limited"/> (three requests an hour).
/// </summary>
public sealed class SecurityFixture : IAsyncLifetime
{
    public const string Audience = "urn:fhir-gateway";
    public const string AllowedOrigin = "https://app.example";
    public const int Permits = 3;

    /// <summary>The limited servers' window: the longest allowed, an hour (see where it is set).</summary>
    public const string WindowSeconds = "3600";

    private readonly ConcurrentDictionary<string, Task<string>> _tokens = new();
    private SandboxServers? _sandbox;
    private GatewayServer? _open;
    private GatewayServer? _required;
    private GatewayServer? _limited;

    public SandboxServers Sandbox => _sandbox ?? throw new InvalidOperationException("Not started.");

    public GatewayServer Open => _open ?? throw new InvalidOperationException("Not started.");

    public GatewayServer Required => _required ?? throw new InvalidOperationException("Not started.");

    public GatewayServer Limited => _limited ?? throw new InvalidOperationException("Not started.");

    /// <summary>The issuer as tokens carry it.</summary>
    public string Issuer => Sandbox.AuthIssuer.AbsoluteUri.TrimEnd('/');

    /// <summary>A client with no cookies that follows no redirects.</summary>
    public HttpClient Http { get; } = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(60) };

    public async Task InitializeAsync()
    {
        int[] ports = [FreePort.Next(), FreePort.Next(), FreePort.Next()];
        _sandbox = await SandboxServers.StartAsync(new SandboxOptions
        {
            RedirectUris = [.. ports.Select(GatewayServer.CallbackFor), SandboxServers.DefaultRedirectUri],
            GatewayAudience = Audience,
        });
        _open = Start(ports[0], new() { ["FHIR_GATEWAY_CORS_ORIGINS"] = AllowedOrigin });
        _required = Start(ports[1], new() { ["FHIR_GATEWAY_AUTH_REQUIRED"] = "true" });
        _limited = Start(ports[2], new()
        {
            ["FHIR_GATEWAY_RATE_LIMIT_PERMITS"] = Permits.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FHIR_GATEWAY_RATE_LIMIT_ANONYMOUS_PERMITS"] = Permits.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Windows are aligned to the process's clock, so one may end between two requests of a test: with the
            // longest window allowed that is once an hour, not once a minute (a clean-clone CI run saw the fourth
            // request of RateLimitTests answered 200 in a fresh window).
            ["FHIR_GATEWAY_RATE_LIMIT_WINDOW_SECONDS"] = WindowSeconds,
        });
    }

    /// <summary>The gateway settings every server here gets, plus <paramref name="extra"/>.</summary>
    public Dictionary<string, string> Settings(Dictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["FHIR_GATEWAY_AUTH_ISSUER"] = Issuer,
            ["FHIR_GATEWAY_AUTH_AUDIENCE"] = Audience,
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>An access token for the gateway, one per test user, logged in through the sandbox's form.</summary>
    public Task<string> TokenAsync(string username) =>
        _tokens.GetOrAdd(username, name => SandboxUserToken.GetAsync(Sandbox, Audience, name));

    private GatewayServer Start(int port, Dictionary<string, string> extra)
    {
        var server = new GatewayServer(Sandbox, port, redisConnectionString: null, Settings(extra));
        server.StartServer();
        return server;
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        foreach (var server in new[] { _open, _required, _limited })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
        }
    }
}
