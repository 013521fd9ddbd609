using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace FhirGateway.Benchmarks.Pipeline;

/// <summary>
/// An <see cref="IServer"/> with no transport: the host hands it its application, and each request is an
/// <see cref="InProcessExchange"/> run through that application as Kestrel runs one (the hosting layer's context,
/// diagnostics and middleware, then the response's start and completion callbacks), so two apps can be compared on
/// their own work per request, without sockets, parsing or wake-ups.
/// </summary>
internal sealed class InProcessServer : IServer
{
    private Func<string, IHeaderDictionary, InProcessExchange>? _exchange;

    public InProcessServer()
    {
        var addresses = new ServerAddressesFeature();
        addresses.Addresses.Add(Origin);
        Features.Set<IServerAddressesFeature>(addresses);
    }

    /// <summary>The address the apps are told they are served at (nothing listens there).</summary>
    public static string Origin => "http://127.0.0.1:8080";

    public IFeatureCollection Features { get; } = new FeatureCollection();

    /// <summary>A reusable GET of <paramref name="path"/> with <paramref name="headers"/>, run by the started application.</summary>
    public InProcessExchange Exchange(string path, IHeaderDictionary headers) =>
        (_exchange ?? throw new InvalidOperationException("The host has not started the server."))(path, headers);

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        _exchange = (path, headers) => new InProcessExchange<TContext>(application, path, headers);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
    }
}
