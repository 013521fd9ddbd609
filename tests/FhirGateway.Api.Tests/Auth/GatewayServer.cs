using System.Globalization;
using FhirGateway.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;

namespace FhirGateway.Api.Tests.Auth;

/// <summary>
/// The Api on real Kestrel (a real port, real HTTP) with the <c>local-sandbox</c> platform pointed at a running
/// sandbox, and optionally a real Redis as its token store.
/// </summary>
public sealed class GatewayServer : WebApplicationFactory<Program>
{
    /// <summary>Builds the host under <see cref="HostCreation.Gate"/> (see there why).</summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        lock (HostCreation.Gate)
        {
            return base.CreateHost(builder);
        }
    }

    public const string MasterKey = "api-tests-master-key-0123456789-abcdefghijklmnop";

    private readonly SandboxServers _sandbox;
    private readonly string? _redis;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly Action<IWebHostBuilder>? _configure;

    /// <param name="settings">Further configuration keys (e.g. more platforms, timeouts), applied last.</param>
    /// <param name="configure">Anything else on the host (e.g. a log capture), applied last.</param>
    public GatewayServer(
        SandboxServers sandbox, int port, string? redisConnectionString, IReadOnlyDictionary<string, string>? settings = null, Action<IWebHostBuilder>? configure = null)
    {
        _configure = configure;
        _sandbox = sandbox;
        _redis = redisConnectionString;
        _settings = settings ?? new Dictionary<string, string>();
        Port = port;
        UseKestrel(port);
    }

    /// <summary>The port the gateway listens on (the sandbox must accept its callback).</summary>
    public int Port { get; }

    /// <summary>The gateway's base URL.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>The redirect URI the sandbox must accept for a gateway on <paramref name="port"/>.</summary>
    public static string CallbackFor(int port) => $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/oauth/callback";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var auth = _sandbox.AuthIssuer.AbsoluteUri.TrimEnd('/');
        builder.UseEnvironment("Development");
        builder.UseSetting("FHIR_GATEWAY_PUBLIC_URL", BaseAddress.AbsoluteUri.TrimEnd('/'));
        builder.UseSetting("FHIR_GATEWAY_MASTER_KEY", MasterKey);
        builder.UseSetting("FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_FHIR_BASE_URL", _sandbox.FhirBase());
        builder.UseSetting("FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_AUTHORIZE_URL", $"{auth}/auth");
        builder.UseSetting("FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_TOKEN_URL", $"{auth}/token");
        builder.UseSetting("FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_REVOKE_URL", $"{auth}/token/revocation");
        builder.UseSetting("FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_CLIENT_ID", SandboxServers.PublicClientId);
        if (_redis is not null)
        {
            builder.UseSetting("ConnectionStrings:redis", _redis);
        }

        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => RunLog.AddTo(logging, "api", MasterKey));
        _configure?.Invoke(builder);
    }
}
