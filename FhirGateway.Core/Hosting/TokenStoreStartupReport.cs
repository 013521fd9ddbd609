using FhirGateway.Core.Tokens;
using FhirGateway.Core.Tokens.Protection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FhirGateway.Core.Hosting;

/// <summary>Says once, at start, which token store this process uses.</summary>
internal sealed partial class TokenStoreStartupReport(TokenStoreInfo info, TokenKeyRing keys, ILogger<TokenStoreStartupReport> logger) : IHostedService
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

        if (keys.IsEphemeral)
        {
            LogEphemeralKey(logger, TokenStoreOptions.MasterKeyKey);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning,
        Message = "No Redis configured (neither ConnectionStrings:redis nor {Variable}): using the in-memory token store. Connections are lost on restart and not shared between the REST and MCP front-ends.")]
    private static partial void LogInMemory(ILogger logger, string variable);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Token store: Redis.")]
    private static partial void LogRedis(ILogger logger);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning,
        Message = "No {Variable} set: the in-memory token store encrypts under a random key generated for this process.")]
    private static partial void LogEphemeralKey(ILogger logger, string variable);
}
