using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FhirGateway.ScenarioBench.Mcp;

/// <summary>
/// The fast upstream: a minimal Kestrel app on 127.0.0.1 answering <c>GET /fhir/Observation</c> with a canned
/// 20-entry searchset Bundle (~20 KB, self and next links on its base) when the Bearer token is the expected
/// one, and 401 otherwise, so that a measured call is known to carry the stored token.
/// </summary>
internal sealed class BearerUpstream : IAsyncDisposable
{
    public const string PatientId = "pat-1";

    private readonly WebApplication _app;
    private readonly string _authorization;
    private byte[] _bundle = [];
    private int _refused;

    private BearerUpstream(WebApplication app, string accessToken)
    {
        _app = app;
        _authorization = "Bearer " + accessToken;
    }

    public string FhirBase { get; private set; } = "";

    /// <summary>Requests answered 401 (a wrong or missing token).</summary>
    public int Refused => Volatile.Read(ref _refused);

    public static async Task<BearerUpstream> StartAsync(string accessToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var upstream = new BearerUpstream(builder.Build(), accessToken);
        upstream._app.MapGet("/fhir/Observation", upstream.Search);
        await upstream._app.StartAsync();
        var origin = upstream._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        upstream.FhirBase = origin + "/fhir";
        upstream._bundle = Bundle(upstream.FhirBase);
        return upstream;
    }

    private Task Search(HttpContext context)
    {
        if (context.Request.Headers.Authorization != _authorization)
        {
            Interlocked.Increment(ref _refused);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        }

        context.Response.ContentType = "application/fhir+json; charset=utf-8";
        context.Response.ContentLength = _bundle.Length;
        return context.Response.Body.WriteAsync(_bundle).AsTask();
    }

    private static byte[] Bundle(string fhirBase)
    {
        var self = $"{fhirBase}/Observation?patient={PatientId}&_count=20";
        var json = new StringBuilder(24_000);
        json.Append(CultureInfo.InvariantCulture, $$"""{"resourceType":"Bundle","id":"b1c7e5d2","type":"searchset","total":137,"link":[{"relation":"self","url":"{{self}}"},{"relation":"next","url":"{{self}}&_getpagesoffset=20"}],"entry":[""");
        for (var i = 0; i < 20; i++)
        {
            var id = $"obs-{i:D4}";
            var day = 10 + (i % 18);
            json.Append(FormattableString.Invariant($$$"""
                {{{(i == 0 ? "" : ",")}}}{"fullUrl":"{{{fhirBase}}}/Observation/{{{id}}}","resource":{"resourceType":"Observation","id":"{{{id}}}",
                "meta":{"versionId":"1","lastUpdated":"2025-10-{{{day}}}T08:30:00.000Z","profile":["http://hl7.org/fhir/us/core/StructureDefinition/us-core-heart-rate"]},
                "status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs","display":"Vital Signs"}],"text":"Vital Signs"}],
                "code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}],"text":"Heart rate"},
                "subject":{"reference":"Patient/{{{PatientId}}}"},"effectiveDateTime":"2025-10-{{{day}}}T08:30:00Z",
                "valueQuantity":{"value":{{{60 + (i * 7 % 40)}}},"unit":"beats/minute","system":"http://unitsofmeasure.org","code":"/min"}},"search":{"mode":"match"}}
                """).ReplaceLineEndings(""));
        }

        json.Append("]}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
