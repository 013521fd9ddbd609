using Microsoft.Extensions.Logging;

namespace FhirGateway.Core.Coverage;

/// <summary>Log events of the coverage features: where a call went and how it ended, never its content (PHI).</summary>
internal static partial class CoverageLog
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "CDS Hooks {Method} {Path} for platform {PlatformId}: {Status} in {ElapsedMs:F0} ms.")]
    public static partial void CdsCall(ILogger logger, string platformId, string method, string path, int status, double elapsedMs);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "CDS Hooks call to {Path} for platform {PlatformId} failed: {Reason}.")]
    public static partial void CdsFailed(ILogger logger, string platformId, string path, HttpRequestError reason);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "CDS Hooks call to {Path} for platform {PlatformId} timed out.")]
    public static partial void CdsTimedOut(ILogger logger, string platformId, string path);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Prior authorization {Operation} at platform {PlatformId}: outcome {Outcome}.")]
    public static partial void PriorAuthorization(ILogger logger, string platformId, string operation, string outcome);
}
