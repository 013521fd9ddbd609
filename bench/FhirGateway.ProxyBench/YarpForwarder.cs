using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FhirGateway.ProxyBench;

/// <summary>
/// The baseline: a plain YARP <c>IHttpForwarder</c> (direct forwarding, no auth, no link rewriting) in front of
/// the same upstream, so the gateway's cost can be told apart from what any .NET reverse proxy costs.
/// </summary>
internal sealed class YarpForwarder : IAsyncDisposable
{
    private readonly WebApplication _app;

    private YarpForwarder(WebApplication app) => _app = app;

    /// <summary>The forwarder's FHIR base (same paths as the upstream's).</summary>
    public string FhirBase { get; private set; } = "";

    public static async Task<YarpForwarder> StartAsync(string upstreamOrigin)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddHttpForwarder();
        var app = builder.Build();
        app.MapForwarder("/{**catch-all}", upstreamOrigin);
        await app.StartAsync();
        var origin = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new YarpForwarder(app) { FhirBase = origin + "/fhir" };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
