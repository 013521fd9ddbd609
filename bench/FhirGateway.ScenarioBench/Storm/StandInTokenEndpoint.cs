using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FhirGateway.ScenarioBench.Storm;

/// <summary>
/// A payer's token endpoint stand-in: a minimal Kestrel app on 127.0.0.1 that answers every refresh grant after a
/// fixed delay with a new access and refresh token (rotation, as payers do), and counts the calls. The delay
/// makes one round trip a steady anchor, where the sandbox's node server's latency would be noise.
/// </summary>
internal sealed class StandInTokenEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TimeSpan _delay;
    private int _calls;

    private StandInTokenEndpoint(WebApplication app, TimeSpan delay)
    {
        _app = app;
        _delay = delay;
    }

    public string TokenUrl { get; private set; } = "";

    /// <summary>Refresh grants received so far.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public static async Task<StandInTokenEndpoint> StartAsync(TimeSpan delay)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var endpoint = new StandInTokenEndpoint(builder.Build(), delay);
        endpoint._app.MapPost("/token", (HttpRequest request) => endpoint.TokenAsync(request));
        await endpoint._app.StartAsync();
        var origin = endpoint._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        endpoint.TokenUrl = origin + "/token";
        return endpoint;
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        if (form["grant_type"] != "refresh_token" || string.IsNullOrEmpty(form["refresh_token"]))
        {
            return Results.Json(new Dictionary<string, string> { ["error"] = "unsupported_grant_type" }, statusCode: StatusCodes.Status400BadRequest);
        }

        Interlocked.Increment(ref _calls);
        await Task.Delay(_delay);
        return Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = Token(),
            ["token_type"] = "Bearer",
            ["expires_in"] = 3600,
            ["refresh_token"] = Token(),
            ["scope"] = "openid fhirUser launch/patient offline_access patient/*.rs",
        });
    }

    private static string Token() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
