namespace FhirGateway.Core.Audit;

/// <summary>
/// One audit event as <see cref="GatewayAudit"/> logged it (its structured fields, already masked), with the time it
/// was recorded. Fields the event did not have are null.
/// </summary>
internal sealed record AuditRecord(DateTimeOffset Recorded, string Action, string Outcome, string OwnerHash, string? PlatformId, double DurationMs, string? TraceId)
{
    /// <summary>Authorization events: why (a fixed phrase or a sanitized OAuth error code).</summary>
    public string? Reason { get; init; }

    public string? ResourceType { get; init; }

    public string? ResourceId { get; init; }

    public string? Operation { get; init; }

    /// <summary>FHIR calls: the HTTP status answered.</summary>
    public int? Status { get; init; }

    /// <summary>Reads the state of a GatewayAudit log entry; null for any other state.</summary>
    public static AuditRecord? From(IReadOnlyList<KeyValuePair<string, object?>> fields, DateTimeOffset recorded)
    {
        string? action = null, outcome = null, owner = null, platform = null, trace = null, reason = null, type = null, id = null, operation = null;
        double duration = 0;
        int? status = null;
        foreach (var (key, value) in fields)
        {
            switch (key)
            {
                case "Action": action = value as string; break;
                case "Outcome": outcome = value as string; break;
                case "OwnerHash": owner = value as string; break;
                case "PlatformId": platform = Given(value); break;
                case "TraceId": trace = Given(value); break;
                case "Reason": reason = Given(value); break;
                case "ResourceType": type = Given(value); break;
                case "ResourceId": id = Given(value); break;
                case "Operation": operation = Given(value); break;
                case "DurationMs" when value is double d: duration = d; break;
                case "Status" when value is int s: status = s; break;
                default: break;
            }
        }

        return action is null || outcome is null || owner is null
            ? null
            : new AuditRecord(recorded, action, outcome, owner, platform, duration, trace) { Reason = reason, ResourceType = type, ResourceId = id, Operation = operation, Status = status };
    }

    /// <summary>GatewayAudit writes "-" for a field the event has not.</summary>
    private static string? Given(object? value) => value is string text && text is not ("" or "-") ? text : null;
}
