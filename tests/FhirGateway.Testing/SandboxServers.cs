using System.Globalization;

namespace FhirGateway.Testing;

/// <summary>
/// The local SMART sandbox as real processes on 127.0.0.1: the FHIR R4 server (Medplum engine) and the
/// OAuth 2.0 / OpenID Connect server (oidc-provider), each knowing the other's URL.
/// </summary>
public sealed class SandboxServers : IAsyncDisposable
{
    /// <summary>A redirect URI no server listens on: tests read the code from the redirect itself.</summary>
    public const string DefaultRedirectUri = "http://127.0.0.1:5999/oauth/callback";

    /// <summary>The sandbox's public SMART client (see sandbox/fixtures.mjs).</summary>
    public const string PublicClientId = "fhir-gateway";

    /// <summary>The seeded patient the <c>patient</c> test user is bound to (see sandbox/fixtures.mjs).</summary>
    public const string PatientId = "8f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly ServerProcess _fhir;
    private readonly ServerProcess _auth;
    private readonly TcpGate? _authGate;

    private SandboxServers(ServerProcess fhir, ServerProcess auth, TcpGate? authGate, Uri fhirOrigin, Uri authIssuer, SandboxOptions options)
    {
        _fhir = fhir;
        _auth = auth;
        _authGate = authGate;
        FhirOrigin = fhirOrigin;
        AuthIssuer = authIssuer;
        Options = options;
    }

    /// <summary>The FHIR server's origin, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public Uri FhirOrigin { get; }

    /// <summary>The auth server's issuer.</summary>
    public Uri AuthIssuer { get; }

    /// <summary>The options the sandbox was started with.</summary>
    public SandboxOptions Options { get; }

    /// <summary>What both hosts printed, for failure messages.</summary>
    public string Output => $"--- sandbox-fhir ---\n{_fhir.Output}\n--- sandbox-auth ---\n{_auth.Output}";

    /// <summary>A FHIR base URL, e.g. <c>http://127.0.0.1:40123/payer-a/fhir</c> (no trailing slash).</summary>
    public string FhirBase(string name = "payer-a") => $"{FhirOrigin.AbsoluteUri.TrimEnd('/')}/{name}/fhir";

    /// <summary>
    /// Starts both hosts; needs <c>npm ci</c> to have run in <c>sandbox/</c>. A port another process took between its
    /// check and the host's bind (test assemblies run side by side) fails that start with EADDRINUSE: then both hosts
    /// start again on new ports, up to three times.
    /// </summary>
    public static async Task<SandboxServers> StartAsync(SandboxOptions? options = null)
    {
        options ??= new SandboxOptions();
        if (!Directory.Exists(Path.Combine(RepositoryPaths.Sandbox, "node_modules")))
        {
            throw new InvalidOperationException($"Run 'npm ci' in {RepositoryPaths.Sandbox} first (.ci/run does).");
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(options);
            }
            catch (InvalidOperationException taken) when (attempt < 3 && taken.Message.Contains("EADDRINUSE", StringComparison.Ordinal))
            {
                // Both hosts are stopped; choose new ports.
            }
        }
    }

    private static async Task<SandboxServers> StartOnceAsync(SandboxOptions options)
    {
        var fhirPort = FreePort.Next();
        var authPort = FreePort.Next();
        // With outages, the auth server listens on a port of its own and everyone reaches it through the gate's.
        var issuerPort = options.AuthOutages ? FreePort.Next() : authPort;
        var fhirOrigin = new Uri($"http://127.0.0.1:{fhirPort}");
        var authIssuer = new Uri($"http://127.0.0.1:{issuerPort}");
        var environment = new Dictionary<string, string>
        {
            ["SANDBOX_FHIR_PORT"] = fhirPort.ToString(CultureInfo.InvariantCulture),
            ["SANDBOX_AUTH_PORT"] = authPort.ToString(CultureInfo.InvariantCulture),
            ["SANDBOX_FHIR_URL"] = fhirOrigin.AbsoluteUri.TrimEnd('/'),
            ["SANDBOX_AUTH_URL"] = authIssuer.AbsoluteUri.TrimEnd('/'),
            ["SANDBOX_FHIR_BASES"] = string.Join(',', options.Bases),
            ["SANDBOX_REDIRECT_URIS"] = string.Join(',', options.RedirectUris),
            ["SANDBOX_ACCESS_TOKEN_TTL"] = ((int)options.AccessTokenLifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            ["SANDBOX_FHIR_OPEN"] = options.OpenFhir ? "true" : "false",
        };
        if (RunLog.NewFile("issued") is { } issued)
        {
            environment["SANDBOX_ISSUED_SECRETS_FILE"] = issued;
        }

        if (options.GatewayAudience is { } gatewayAudience)
        {
            environment["SANDBOX_GATEWAY_AUDIENCE"] = gatewayAudience;
        }

        var fhirStart = StartNodeAsync("fhir/server.mjs", environment, "sandbox-fhir listening");
        var authStart = StartNodeAsync("auth/server.mjs", environment, "sandbox-auth listening");
        try
        {
            await Task.WhenAll(fhirStart, authStart);
        }
        catch
        {
            await DisposeStartedAsync(fhirStart);
            await DisposeStartedAsync(authStart);
            throw;
        }

        var authGate = options.AuthOutages ? TcpGate.Open(issuerPort, authPort) : null;
        return new SandboxServers(await fhirStart, await authStart, authGate, fhirOrigin, authIssuer, options);
    }

    /// <summary>
    /// Takes the auth server down as its clients see it: its issuer port refuses connections and open ones are
    /// reset. Its process and grants (codes, refresh tokens) live on. Needs <see cref="SandboxOptions.AuthOutages"/>.
    /// </summary>
    public Task TakeAuthServerDownAsync() => AuthGate.CloseAsync();

    /// <summary>Brings the auth server back on the same port, with the grants it had.</summary>
    public void BringAuthServerBack() => AuthGate.Open();

    private TcpGate AuthGate => _authGate ?? throw new InvalidOperationException("Start the sandbox with SandboxOptions.AuthOutages to take its auth server down.");

    private static Task<ServerProcess> StartNodeAsync(string script, IReadOnlyDictionary<string, string> environment, string readyText) =>
        ServerProcess.StartAsync("node", [script], RepositoryPaths.Sandbox, environment, readyText, StartTimeout);

    private static async Task DisposeStartedAsync(Task<ServerProcess> start)
    {
        if (start.IsCompletedSuccessfully)
        {
            await start.Result.DisposeAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_authGate is not null)
        {
            await _authGate.DisposeAsync();
        }

        await _fhir.DisposeAsync();
        await _auth.DisposeAsync();
    }
}
