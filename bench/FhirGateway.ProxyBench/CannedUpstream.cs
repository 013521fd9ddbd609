using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FhirGateway.ProxyBench;

/// <summary>
/// The fast upstream: a minimal Kestrel app on 127.0.0.1 answering the two benchmarked interactions from canned
/// bytes, so that it costs next to nothing beside the proxies in front of it. It remembers the last
/// <c>Authorization</c> header it saw, for the pre-flight check that the gateway sent the stored token.
/// </summary>
internal sealed class CannedUpstream : IAsyncDisposable
{
    private const string FhirJson = "application/fhir+json; charset=utf-8";

    private readonly WebApplication _app;
    private readonly byte[] _patient = CannedFhir.Patient();
    private byte[] _bundle = [];
    private string? _lastAuthorization;

    private CannedUpstream(WebApplication app) => _app = app;

    /// <summary>The origin, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Origin { get; private set; } = "";

    /// <summary>The FHIR base the proxies point at.</summary>
    public string FhirBase => Origin + "/fhir";

    public string? LastAuthorization => Volatile.Read(ref _lastAuthorization);

    public static async Task<CannedUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
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
