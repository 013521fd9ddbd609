using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FhirGateway.AppHost;

internal static partial class AppHostLog
{
    private const string Category = "FhirGateway.AppHost";

    /// <summary>Logs once the host's logging is up (the model is built before it is).</summary>
    public static void OnBeforeStart(this IDistributedApplicationBuilder builder, Action<ILogger> log) =>
        builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
        {
            log(e.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category));
            return Task.CompletedTask;
        });

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "FHIR Gateway stack mode: {Mode}.")]
    public static partial void StackModeChosen(ILogger logger, StackMode mode);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "'{Command}' is not on PATH: no Redis is started, and the api and mcp fall back to their in-memory token stores (not shared; lost on restart). Install redis-server to share connections.")]
    public static partial void RedisServerMissing(ILogger logger, string command);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning,
        Message = "api-replicas is {Replicas} without Redis: each Api replica keeps its own in-memory store, so a login started on one replica fails when its callback lands on another.")]
    public static partial void ReplicasWithoutRedis(ILogger logger, int replicas);
}
