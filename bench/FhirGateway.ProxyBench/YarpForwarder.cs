using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace FhirGateway.ProxyBench;

/// <summary>
/// The baseline: a plain YARP <c>IHttpForwarder</c> (direct forwarding, no auth, no link rewriting) in front of
/// the same upstream, so the gateway's cost can be told apart from what any .NET reverse proxy costs. The proxy
/// benchmark runs it in a process of its own (<see cref="StartProcessAsync"/>: this program with
/// <c>--serve-yarp</c>), like the gateway; the large-answer benchmark in this one.
/// <para>
/// Hosted as the gateway is, as a YARP app is deployed: <see cref="WebApplication.CreateBuilder()"/>, Production, the
/// stock logging providers at the web template's levels (the gateway's appsettings.json: Information, ASP.NET Core at
/// Warning), so each request has its hosting activity and the upstream call its trace context, as in the gateway.
/// YARP's own per-request lines (Information) are off, as the gateway has them off. <c>slim</c> is the bare minimum
/// measured until the eighth session: <see cref="WebApplication.CreateSlimBuilder()"/> and no logging at all.
/// </para>
/// </summary>
internal sealed class YarpForwarder : IAsyncDisposable
{
    public const string ServeFlag = "--serve-yarp";
    public const string SlimFlag = "slim";
    private const string ReadyPath = "/ready";

    private readonly WebApplication _app;

    private YarpForwarder(WebApplication app) => _app = app;

    /// <summary>The forwarder's FHIR base (same paths as the upstream's).</summary>
    public string FhirBase { get; private set; } = "";

    public static async Task<YarpForwarder> StartAsync(string upstreamOrigin, int port = 0, bool slim = false)
    {
        var hosting = new WebApplicationOptions { EnvironmentName = Environments.Production, ContentRootPath = AppContext.BaseDirectory };
        var builder = slim ? WebApplication.CreateSlimBuilder(hosting) : WebApplication.CreateBuilder(hosting);
        if (slim)
        {
            builder.Logging.ClearProviders();
        }
        else
        {
            // The start-up lines too: in process (--large) they would land among the bench's tables.
            builder.Logging.SetMinimumLevel(LogLevel.Information)
                .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
                .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning)
                .AddFilter("Yarp", LogLevel.Warning);
        }

        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        // Kestrel's inline scheduling under the runtime's inline completions, as the gateway has it (InlineScheduling).
        var inline = builder.Configuration["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] == "1";
        builder.Services.Configure<SocketTransportOptions>(options => options.UnsafePreferInlineScheduling = inline);
        builder.Services.AddHttpForwarder();
        var app = builder.Build();
        app.MapGet(ReadyPath, () => "ready");
        app.MapForwarder("/{**catch-all}", upstreamOrigin);
        await app.StartAsync();
        var origin = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new YarpForwarder(app) { FhirBase = origin + "/fhir" };
    }

    /// <summary>This program again, with <see cref="ServeFlag"/>: the forwarder alone in a child process.</summary>
    public static Task<ProxyProcess> StartProcessAsync(string upstreamOrigin, IReadOnlyList<string> variables, bool slim = false)
    {
        var port = ProxyProcess.FreeLoopbackPort();
        return ProxyProcess.StartAsync(
            slim ? "yarp-slim" : "yarp", port,
            [Path.Combine(AppContext.BaseDirectory, "FhirGateway.ProxyBench.dll"), ServeFlag, upstreamOrigin, port.ToString(CultureInfo.InvariantCulture), slim ? SlimFlag : ""],
            ProxyProcess.Variables(variables), ReadyPath);
    }

    /// <summary>The child's whole life: forward until killed.</summary>
    public static async Task<int> ServeAsync(string upstreamOrigin, int port, bool slim)
    {
        await using var forwarder = await StartAsync(upstreamOrigin, port, slim);
        await Task.Delay(Timeout.Infinite);
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
