using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using FhirGateway.Core.Fhir;
using FhirGateway.Core.Tokens;
using Microsoft.Extensions.Logging;

namespace FhirGateway.Core.Audit;

/// <summary>
/// The audit trail (HIPAA §164.312(b)): one structured event per authorization step and per FHIR call, all under
/// the <see cref="Category"/> log category so a deployment can route them to their own sink. Every event names
/// who (a hash of the owner key, never the key), the platform, the action, the outcome, how long it took and the
/// trace id. Never a token, code, verifier, state, secret, query or body: queries and bodies carry PHI.
/// </summary>
internal sealed partial class GatewayAudit(ILoggerFactory loggers)
{
    /// <summary>The log category of every audit event.</summary>
    public const string Category = "FhirGateway.Audit";

    private readonly ILogger _logger = loggers.CreateLogger(Category);

    /// <summary>An authorization event: <paramref name="reason"/> is a fixed phrase or a sanitized OAuth error code.</summary>
    public void Authorization(string action, string outcome, OwnerKey? owner, string platformId, string reason, TimeSpan duration)
    {
        // Every outcome at one level: an audit trail is filtered by category, never by severity.
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var ownerHash = OwnerHash(owner);
        var platform = Field(platformId);
        var milliseconds = Milliseconds(duration);
        var traceId = TraceId();
        AuthorizationEvent(_logger, action, outcome, ownerHash, platform, reason, milliseconds, traceId);
    }

    /// <summary>A FHIR interaction: type, id and operation name, never the query or the body.</summary>
    public void FhirCall(OwnerKey? owner, string platformId, FhirRequest request, int status, TimeSpan duration)
    {
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var action = AuditAction.Fhir(request.Interaction);
        var outcome = AuditOutcome.ForStatus(status);
        var ownerHash = OwnerHash(owner);
        var platform = Field(platformId);
        var type = Field(request.ResourceType);
        var id = Field(request.Id);
        var operation = Field(request.Operation);
        var milliseconds = Milliseconds(duration);
        var traceId = TraceId();
        FhirEvent(_logger, action, outcome, ownerHash, platform, type, id, operation, status, milliseconds, traceId);
    }

    /// <summary>The owner's <see cref="OwnerKey.Pseudonym"/>, or <c>anonymous</c>.</summary>
    public static string OwnerHash(OwnerKey? owner) => owner?.Pseudonym ?? "anonymous";

    /// <summary>
    /// Platform ids, types, ids and operation names as they came in: the event is written for rejected requests
    /// too, so anything outside FHIR's id alphabet (control characters, a forged line) is masked, and the length capped.
    /// </summary>
    internal static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "-";
        }

        if (value.Length <= MaxField && !value.AsSpan().ContainsAnyExcept(FieldCharacters))
        {
            return value; // the common case: shown as it came, without a copy
        }

        var shown = value.Length <= MaxField ? value : value[..MaxField];
        return string.Create(shown.Length, shown, static (span, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                span[i] = char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '$' ? c : '?';
            }
        });
    }

    private const int MaxField = 64;

    private static readonly System.Buffers.SearchValues<char> FieldCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._$");

    private static double Milliseconds(TimeSpan duration) => Math.Round(duration.TotalMilliseconds, 1);

    private static string TraceId() => Activity.Current?.TraceId.ToString() ?? "-";

    // Both events are written only after their caller has checked IsEnabled: the generated check would be a second pass.
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, SkipEnabledCheck = true,
        Message = "Audit action={Action} outcome={Outcome} owner={OwnerHash} platform={PlatformId} reason={Reason} duration_ms={DurationMs} trace_id={TraceId}")]
    private static partial void AuthorizationEvent(ILogger logger, string action, string outcome, string ownerHash, string platformId,
        string reason, double durationMs, string traceId);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, SkipEnabledCheck = true,
        Message = "Audit action={Action} outcome={Outcome} owner={OwnerHash} platform={PlatformId} type={ResourceType} id={ResourceId} operation={Operation} status={Status} duration_ms={DurationMs} trace_id={TraceId}")]
    private static partial void FhirEvent(ILogger logger, string action, string outcome, string ownerHash, string platformId,
        string resourceType, string resourceId, string operation, int status, double durationMs, string traceId);
}
