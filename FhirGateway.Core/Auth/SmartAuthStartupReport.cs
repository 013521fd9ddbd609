using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Auth;

/// <summary>Says once, at start, which redirect URI the gateway sends, and when it is the Development default.</summary>
internal sealed class SmartAuthStartupReport(IOptions<SmartAuthOptions> options, ILogger<SmartAuthStartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.UsesDevelopmentDefault)
        {
            SmartAuthLog.DevelopmentRedirectUri(logger, SmartAuthOptions.PublicUrlKey, SmartAuthOptions.RedirectUriKey, settings.RedirectUri!);
        }
        else
        {
            SmartAuthLog.RedirectUri(logger, settings.RedirectUri!);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
