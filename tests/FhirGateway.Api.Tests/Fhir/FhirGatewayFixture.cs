using System.Globalization;
using System.Text.Json.Nodes;
using FhirGateway.Api.Tests.Auth;
using FhirGateway.Testing;

namespace FhirGateway.Api.Tests.Fhir;

/// <summary>
/// The real sandbox (both FHIR bases) and the gateway on Kestrel with six more platforms: <c>local-sandbox-ehr</c>
/// (the sandbox's second base), <c>unreachable</c> (a closed port), <c>hanging</c> (accepts, never answers; 1 s
/// timeout), <c>raw</c> (records what reaches it), <c>busy</c> (always 503) and <c>large</c> (20 MB answers). The last five are open platforms:
/// no login needed.
/// </summary>
public class FhirGatewayFixture : IAsyncLifetime
{
    public const string Payer = "local-sandbox";
    public const string Ehr = "local-sandbox-ehr";

    /// <summary>Scopes asked at login: the platform's read scopes plus writes.</summary>
    public const string Scopes = "openid fhirUser launch/patient offline_access patient/*.cruds";

    private readonly string _platforms = Path.Combine(Path.GetTempPath(), "fhirgw-platforms-" + Guid.NewGuid().ToString("N"));
    private readonly Testing.ClosedPort _closedPort = new();
    private SandboxServers? _sandbox;
    private GatewayServer? _gateway;
    private LargeUpstream? _large;

    public SandboxServers Sandbox => _sandbox ?? throw new InvalidOperationException("Not started.");

    public GatewayServer Gateway => _gateway ?? throw new InvalidOperationException("Not started.");

    public RawUpstream Hanging { get; } = RawUpstream.Hanging();

    public RawUpstream Raw { get; } = RawUpstream.Answering();

    /// <summary>The upstream of the <c>busy</c> open platform: every answer a 503.</summary>
    public RawUpstream Busy { get; } = RawUpstream.Busy();

    /// <summary>The upstream of the <c>busy-reads</c> open platform, for repeated reads: every answer a 503.</summary>
    public RawUpstream BusyReads { get; } = RawUpstream.Busy();

    /// <summary>
    /// The upstream of the <c>slow-busy</c> open platform (timeout 3 s): every answer a 503 after 1.7 s, so a read's
    /// first answer is repeated and the repeat outlasts what is left of the timeout, whatever the delay between them.
    /// </summary>
    public RawUpstream SlowBusy { get; } = RawUpstream.Busy(after: TimeSpan.FromSeconds(1.7));

    /// <summary>The upstream of the <c>large</c> open platform: 20 MB answers.</summary>
    public LargeUpstream Large => _large ?? throw new InvalidOperationException("Not started.");

    /// <summary>A port nothing listens on, held so that nothing can (<see cref="Testing.ClosedPort"/>).</summary>
    public int ClosedPort => _closedPort.Port;

    public string CallbackUri => GatewayServer.CallbackFor(Gateway.Port);

    protected virtual TimeSpan AccessTokenLifetime => TimeSpan.FromHours(1);

    protected virtual IEnumerable<KeyValuePair<string, string>> ExtraSettings => [];

    public async Task InitializeAsync()
    {
        var port = FreePort.Next();
        _sandbox = await SandboxServers.StartAsync(new SandboxOptions
        {
            RedirectUris = [GatewayServer.CallbackFor(port)],
            AccessTokenLifetime = AccessTokenLifetime,
        });
        _large = await LargeUpstream.StartAsync();
        WritePlatforms();
        var auth = _sandbox.AuthIssuer.AbsoluteUri.TrimEnd('/');
        var settings = new Dictionary<string, string>
        {
            ["FHIR_GATEWAY_PLATFORMS_PATH"] = _platforms,
            ["FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_EHR_FHIR_BASE_URL"] = _sandbox.FhirBase("ehr-b"),
            ["FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_EHR_AUTHORIZE_URL"] = $"{auth}/auth",
            ["FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_EHR_TOKEN_URL"] = $"{auth}/token",
            ["FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_EHR_REVOKE_URL"] = $"{auth}/token/revocation",
            ["FHIR_GATEWAY_PLATFORM_HANGING_FHIR_TIMEOUT_SECONDS"] = "1",
            ["FHIR_GATEWAY_PLATFORM_SLOW_BUSY_FHIR_TIMEOUT_SECONDS"] = "3",
            ["FHIR_GATEWAY_FHIR_TIMEOUT_SECONDS"] = "10",
        };
        foreach (var (key, value) in ExtraSettings)
        {
            settings[key] = value;
        }

        _gateway = new GatewayServer(_sandbox, port, redisConnectionString: null, settings);
        _gateway.StartServer();
    }

    private void WritePlatforms()
    {
        Directory.CreateDirectory(_platforms);
        var source = Path.Combine(RepositoryPaths.Root, "platforms");
        foreach (var name in new[] { "platform.schema.json", "local-sandbox.json", "local-sandbox-ehr.json" })
        {
            File.Copy(Path.Combine(source, name), Path.Combine(_platforms, name));
        }

        WriteOpenPlatform("unreachable", $"http://127.0.0.1:{ClosedPort.ToString(CultureInfo.InvariantCulture)}/fhir", null);
        WriteOpenPlatform("hanging", Hanging.BaseUrl, null);
        WriteOpenPlatform("raw", Raw.BaseUrl, new JsonObject { ["X-Platform-Quirk"] = "on" });
        WriteOpenPlatform("busy", Busy.BaseUrl, null);
        WriteOpenPlatform("busy-reads", BusyReads.BaseUrl, null);
        WriteOpenPlatform("slow-busy", SlowBusy.BaseUrl, null);
        WriteOpenPlatform("large", Large.BaseUrl, null);
    }

    private void WriteOpenPlatform(string id, string fhirBase, JsonObject? clientHeaders)
    {
        var platform = new JsonObject
        {
            ["id"] = id,
            ["name"] = $"Test platform {id}",
            ["display_name"] = id,
            ["type"] = "sandbox",
            ["status"] = "active",
            ["registration"] = "none",
            ["open"] = true,
            ["fhir_base_url"] = fhirBase,
            ["oauth"] = new JsonObject { ["client_id"] = "fhir-gateway", ["authorize_url"] = "http://127.0.0.1:9/auth", ["token_url"] = "http://127.0.0.1:9/token" },
        };
        if (clientHeaders is not null)
        {
            platform["client_headers"] = clientHeaders;
        }

        File.WriteAllText(Path.Combine(_platforms, id + ".json"), platform.ToJsonString());
    }

    public async Task DisposeAsync()
    {
        await Disposables.DisposeInOrderAsync(_gateway, _sandbox);

        await Hanging.DisposeAsync();
        await Raw.DisposeAsync();
        await Busy.DisposeAsync();
        await BusyReads.DisposeAsync();
        await SlowBusy.DisposeAsync();
        if (_large is not null)
        {
            await _large.DisposeAsync();
        }

        _closedPort.Dispose();
        Directory.Delete(_platforms, recursive: true);
    }
}

/// <summary>The same with 2-second access tokens and no refresh margin, for expiry and revocation.</summary>
public sealed class ShortTokenFhirGatewayFixture : FhirGatewayFixture
{
    protected override TimeSpan AccessTokenLifetime => TimeSpan.FromSeconds(2);

    protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings => [new("FHIR_GATEWAY_OAUTH_REFRESH_MARGIN_SECONDS", "0")];
}
