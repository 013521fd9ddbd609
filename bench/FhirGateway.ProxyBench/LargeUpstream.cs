using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FhirGateway.ProxyBench;

/// <summary>
/// The upstream for large answers: a minimal Kestrel app on 127.0.0.1 serving, from bytes built once, a ~50 MB
/// searchset Bundle (self/next links at its base, as a FHIR server's) and a ~50 MB bulk-export NDJSON file.
/// </summary>
internal sealed class LargeUpstream : IAsyncDisposable
{
    public const string BundlePath = "Observation?patient=pat-1&_count=50000";
    public const string NdjsonPath = "bulk/job-1/Observation.ndjson";

    private const int TargetBytes = 50 * 1024 * 1024;

    private readonly WebApplication _app;
    private byte[] _bundle = [];
    private byte[] _ndjson = [];

    private LargeUpstream(WebApplication app) => _app = app;

    public string Origin { get; private set; } = "";

    public string FhirBase => Origin + "/fhir";

    public int BundleBytes => _bundle.Length;

    public int NdjsonBytes => _ndjson.Length;

    public static async Task<LargeUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var upstream = new LargeUpstream(builder.Build());
        upstream._app.MapGet("/fhir/Observation", context => Write(context, upstream._bundle, "application/fhir+json; charset=utf-8"));
        upstream._app.MapGet("/fhir/bulk/job-1/Observation.ndjson", context => Write(context, upstream._ndjson, "application/fhir+ndjson"));
        await upstream._app.StartAsync();
        upstream.Origin = upstream._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        upstream._bundle = Bundle(upstream.FhirBase);
        upstream._ndjson = Ndjson();
        return upstream;
    }

    private static Task Write(HttpContext context, byte[] body, string contentType)
    {
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body).AsTask();
    }

    private static byte[] Bundle(string fhirBase)
    {
        var self = $"{fhirBase}/{BundlePath}";
        var json = new StringBuilder(TargetBytes + 4096);
        json.Append(FormattableString.Invariant(
            $$"""{"resourceType":"Bundle","type":"searchset","total":200000,"link":[{"relation":"self","url":"{{self}}"},{"relation":"next","url":"{{self}}&_getpagesoffset=50000"}],"entry":["""));
        for (var i = 0; json.Length < TargetBytes; i++)
        {
            json.Append(i == 0 ? "" : ",").Append("""{"fullUrl":""").Append('"').Append(fhirBase).Append("/Observation/obs-").Append(i).Append("\",\"resource\":")
                .Append(Observation(i)).Append(""","search":{"mode":"match"}}""");
        }

        return Encoding.UTF8.GetBytes(json.Append("]}").ToString());
    }

    private static byte[] Ndjson()
    {
        var lines = new StringBuilder(TargetBytes + 4096);
        for (var i = 0; lines.Length < TargetBytes; i++)
        {
            lines.Append(Observation(i)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(lines.ToString());
    }

    private static string Observation(int i) => FormattableString.Invariant(
        $$$"""{"resourceType":"Observation","id":"obs-{{{i}}}","meta":{"versionId":"1","lastUpdated":"2025-10-10T08:30:00.000Z"},"status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}]},"subject":{"reference":"Patient/pat-1"},"effectiveDateTime":"2025-10-10T08:30:00Z","valueQuantity":{"value":{{{60 + (i % 40)}}},"unit":"beats/minute","system":"http://unitsofmeasure.org","code":"/min"}}""");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
