using System.Net;
using System.Text;
using FhirGateway.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FhirGateway.Api.Tests.Fhir;

/// <summary>
/// An upstream with answers too large to hold, on real Kestrel: a ~20 MB searchset Bundle with Content-Length
/// (<c>Observation</c>), the same without it (<c>Condition</c>), and a ~20 MB bulk NDJSON file.
/// </summary>
public sealed class LargeUpstream : IAsyncDisposable
{
    public const string NdjsonPath = "bulk/job-1/Observation.ndjson";

    private const int Size = 20 * 1024 * 1024;

    private readonly WebApplication _app;

    private LargeUpstream(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>The Bundle as served, its links pointing at <see cref="BaseUrl"/>.</summary>
    public byte[] Bundle { get; private set; } = [];

    public byte[] Ndjson { get; } = Lines();

    public static async Task<LargeUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        WebApplication app;
        // Built under the factories' gate: a WebApplicationFactory building its host at the same moment would take this
        // one for the gateway's and fail to set its port (seen once in CI, 2026-11-30).
        lock (HostCreation.Gate)
        {
            app = builder.Build();
        }

        var upstream = new LargeUpstream(app);
        upstream._app.MapGet("/fhir/Observation", context => Write(context, upstream.Bundle, "application/fhir+json", declareLength: true));
        upstream._app.MapGet("/fhir/Condition", context => Write(context, upstream.Bundle, "application/fhir+json", declareLength: false));
        upstream._app.MapGet("/fhir/" + NdjsonPath, context => Write(context, upstream.Ndjson, "application/fhir+ndjson", declareLength: true));
        await upstream._app.StartAsync();
        var origin = upstream._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        upstream.BaseUrl = origin + "/fhir";
        upstream.Bundle = SearchBundle(upstream.BaseUrl);
        return upstream;
    }

    private static async Task Write(HttpContext context, byte[] body, string contentType, bool declareLength)
    {
        context.Response.ContentType = contentType;
        if (declareLength)
        {
            context.Response.ContentLength = body.Length;
        }

        // In pieces, as a server streams a large answer.
        for (var offset = 0; offset < body.Length; offset += 256 * 1024)
        {
            await context.Response.Body.WriteAsync(body.AsMemory(offset, Math.Min(256 * 1024, body.Length - offset)));
        }
    }

    private static byte[] SearchBundle(string fhirBase)
    {
        var json = new StringBuilder(Size + 4096);
        json.Append($$"""{"resourceType":"Bundle","type":"searchset","link":[{"relation":"self","url":"{{fhirBase}}/Observation?patient=p1"},{"relation":"next","url":"{{fhirBase}}/Observation?patient=p1,p2"}],"entry":[""");
        for (var i = 0; json.Length < Size; i++)
        {
            json.Append(i == 0 ? "" : ",").Append($$"""{"fullUrl":"{{fhirBase}}/Observation/o{{i}}","resource":""").Append(Observation(i)).Append('}');
        }

        return Encoding.UTF8.GetBytes(json.Append("]}").ToString());
    }

    private static byte[] Lines()
    {
        var lines = new StringBuilder(Size + 4096);
        for (var i = 0; lines.Length < Size; i++)
        {
            lines.Append(Observation(i)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(lines.ToString());
    }

    private static string Observation(int i) =>
        $$$"""{"resourceType":"Observation","id":"o{{{i}}}","status":"final","code":{"text":"Heart rate"},"valueQuantity":{"value":{{{i % 97}}}.50,"unit":"/min"},"note":[{"text":"caf\u00e9 {{{i}}}"}]}""";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
