using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using FhirGateway.Bench;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace FhirGateway.ProxyBench;

/// <summary>
/// The fast upstream: a minimal Kestrel app on 127.0.0.1 answering the two benchmarked interactions from canned
/// bytes, so that it costs next to nothing beside the proxies in front of it. It remembers the last
/// <c>Authorization</c> header it saw, for the pre-flight check that the gateway sent the stored token. It is also
/// the platform's authorization server, so that the gateway gets its tokens the way it does in use (SMART App
/// Launch, authorization code with PKCE): <c>/authorize</c> approves at once and <c>/token</c> issues a ~1 KB
/// JWT-shaped access token that expires in a day.
/// </summary>
internal sealed class CannedUpstream : IAsyncDisposable
{
    public const string AuthorizePath = "/authorize";
    public const string TokenPath = "/token";

    private const string FhirJson = "application/fhir+json; charset=utf-8";

    private readonly WebApplication _app;
    private readonly byte[] _patient = CannedFhir.Patient();
    private byte[] _bundle = [];
    private readonly ConcurrentDictionary<string, string> _challenges = new();
    private string? _lastAuthorization;
    private readonly ConcurrentDictionary<string, bool> _issued = new();
    private long _otlpExports;
    private long _otlpBytes;

    private CannedUpstream(WebApplication app) => _app = app;

    /// <summary>The origin, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Origin { get; private set; } = "";

    /// <summary>The FHIR base the proxies point at.</summary>
    public string FhirBase => Origin + "/fhir";

    /// <summary>The benchmarked platform as this server serves it: FHIR base and OAuth endpoints.</summary>
    public GatewayPlatform Platform => new(FhirBase, Origin + AuthorizePath, Origin + TokenPath);

    public string? LastAuthorization => Volatile.Read(ref _lastAuthorization);

    /// <summary>OTLP exports received (<c>--otlp</c>), and their bytes.</summary>
    public long OtlpExports => Interlocked.Read(ref _otlpExports);

    public long OtlpBytes => Interlocked.Read(ref _otlpBytes);

    /// <summary>Whether <paramref name="accessToken"/> is one this server issued in a code exchange.</summary>
    public bool Issued(string accessToken) => _issued.ContainsKey(accessToken);

    public static async Task<CannedUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        // Canned answers never block, so each is written on the socket thread that read its request (BenchProgram
        // turns on the runtime's inline completions for this process).
        builder.Services.Configure<SocketTransportOptions>(options => options.UnsafePreferInlineScheduling = true);
        var upstream = new CannedUpstream(builder.Build());
        upstream.Map();
        await upstream._app.StartAsync();
        upstream.Origin = upstream._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        upstream._bundle = CannedFhir.SearchBundle(upstream.FhirBase);
        return upstream;
    }

    private void Map()
    {
        _app.MapGet("/fhir/Patient/{id}", (HttpContext context, string id) =>
        {
            Volatile.Write(ref _lastAuthorization, context.Request.Headers.Authorization.ToString());
            if (id != CannedFhir.PatientId)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            context.Response.Headers.ETag = CannedFhir.PatientETag;
            context.Response.Headers.LastModified = "Sun, 02 Nov 2025 09:14:27 GMT";
            return Write(context, _patient);
        });
        _app.MapGet("/fhir/Observation", (HttpContext context) => Write(context, _bundle));

        // An OTLP/HTTP collector that keeps nothing: an empty Export*ServiceResponse is a full success.
        foreach (var signal in (string[])["traces", "metrics", "logs"])
        {
            _app.MapPost("/v1/" + signal, ReceiveOtlpAsync);
        }

        // RFC 6749 §4.1 with RFC 7636 (PKCE S256): the user approves at once.
        _app.MapGet(AuthorizePath, (string redirect_uri, string state, string code_challenge) =>
        {
            var code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            _challenges[code] = code_challenge;
            return Results.Redirect($"{redirect_uri}?code={code}&state={Uri.EscapeDataString(state)}");
        });
        _app.MapPost(TokenPath, async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            var verifier = Encoding.ASCII.GetBytes(form["code_verifier"].ToString());
            if (form["grant_type"] != "authorization_code" || !_challenges.TryRemove(form["code"].ToString(), out var challenge)
                || BenchSession.Base64Url(SHA256.HashData(verifier)) != challenge)
            {
                return Results.Json(new { error = "invalid_grant" }, statusCode: StatusCodes.Status400BadRequest);
            }

            var accessToken = BenchSession.JwtShapedToken();
            _issued[accessToken] = true;
            return Results.Json(new Dictionary<string, object>
            {
                ["access_token"] = accessToken,
                ["token_type"] = "Bearer",
                ["expires_in"] = 86_400,
                ["refresh_token"] = BenchSession.Base64Url(RandomNumberGenerator.GetBytes(48)),
                ["scope"] = "openid fhirUser launch/patient offline_access patient/*.rs",
                ["patient"] = CannedFhir.PatientId,
            });
        });
    }

    /// <summary>Reads an OTLP export to its end and counts it.</summary>
    private async Task ReceiveOtlpAsync(HttpContext context)
    {
        var buffer = new byte[16384];
        long length = 0;
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
        {
            length += read;
        }

        Interlocked.Increment(ref _otlpExports);
        Interlocked.Add(ref _otlpBytes, length);
        context.Response.ContentType = "application/x-protobuf";
    }

    private static Task Write(HttpContext context, byte[] body)
    {
        context.Response.ContentType = FhirJson;
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body).AsTask();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
