using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using FhirGateway.Core.Tokens;
using Microsoft.Extensions.Logging;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// One structured event per FHIR call: who (a hash of the owner, never the key), which platform, interaction,
/// type and id, the status, how long, and the trace id. Never a body, a query or a token: queries carry PHI.
/// </summary>
internal static partial class FhirAuditLog
{
    public static void Call(ILogger logger, OwnerKey? owner, string platformId, FhirRequest request, int status, double durationMs)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var ownerHash = OwnerHash(owner);
        var traceId = Activity.Current?.TraceId.ToString() ?? "-";
        var duration = Math.Round(durationMs, 1);
        FhirCall(logger, ownerHash, platformId, request.Interaction, request.ResourceType ?? "-", request.Id ?? "-", request.Operation ?? "-", status, duration, traceId);
    }

    /// <summary>The first 16 hex digits of SHA-256 of the owner key: stable per owner, useless to replay.</summary>
    public static string OwnerHash(OwnerKey? owner) =>
        owner is { } key ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.Value)))[..16] : "anonymous";

    [LoggerMessage(EventId = 6000, Level = LogLevel.Information,
        Message = "FHIR call owner={OwnerHash} platform={PlatformId} interaction={Interaction} type={ResourceType} id={ResourceId} operation={Operation} status={Status} duration_ms={DurationMs} trace_id={TraceId}")]
    private static partial void FhirCall(ILogger logger, string ownerHash, string platformId, FhirInteraction interaction, string resourceType,
        string resourceId, string operation, int status, double durationMs, string traceId);
}
