using FhirGateway.Core.Tokens;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FhirGateway.Core.Hosting;

/// <summary>Says once, at start, which token store this process uses.</summary>
internal sealed partial class TokenStoreStartupReport(TokenStoreInfo info, ILogger<TokenStoreStartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (info.Backend == TokenStoreBackend.InMemory)
        {
            LogInMemory(logger, GatewayCoreExtensions.RedisUrlVariable);
        }
        else
        {
            LogRedis(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning,
        Message = "No Redis configured (neither ConnectionStrings:redis nor {Variable}): using the in-memory token store. Connections are lost on restart and not shared between the REST and MCP front-ends.")]
    private static partial void LogInMemory(ILogger logger, string variable);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Token store: Redis.")]
    private static partial void LogRedis(ILogger logger);
}
