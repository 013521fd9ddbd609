using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace FhirGateway.Core.Audit;

/// <summary>
/// An <see cref="AuditRecord"/> as a FHIR R4 AuditEvent (https://hl7.org/fhir/R4/auditevent.html), following the
/// FHIR/DICOM audit vocabulary: a FHIR call is type <c>rest</c> with its <c>restful-interaction</c> subtype; an
/// authorization step is DICOM 110114 User Authentication with Login (110122) or Logout (110123). The agent is the
/// owner's pseudonym (never the key, token or session); the source observer is the gateway; the entity is the
/// <c>{type}/{id}</c> touched (never a query or a body) with the platform, operation and trace id as details.
/// </summary>
internal static class AuditEventMapper
{
    private const string AuditEventType = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    private const string RestfulInteraction = "http://hl7.org/fhir/restful-interaction";
    private const string Dicom = "http://dicom.nema.org/resources/ontology/DCM";
    private const string GatewayAction = "urn:fhir-gateway:audit-action";
    private const string OwnerSystem = "urn:fhir-gateway:owner";
    private const string PlatformSystem = "urn:fhir-gateway:platform";
    private const string EntityType = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    private const string SourceType = "http://terminology.hl7.org/CodeSystem/security-source-type";

    /// <summary>The transaction Bundle that creates one AuditEvent per record.</summary>
    public static JsonObject Transaction(IEnumerable<AuditRecord> records)
    {
        var entries = new JsonArray();
        foreach (var record in records)
        {
            entries.Add(new JsonObject
            {
                ["fullUrl"] = $"urn:uuid:{Guid.NewGuid()}",
                ["resource"] = AuditEvent(record),
                ["request"] = new JsonObject { ["method"] = "POST", ["url"] = "AuditEvent" },
            });
        }

        return new JsonObject { ["resourceType"] = "Bundle", ["type"] = "transaction", ["entry"] = entries };
    }

    public static JsonObject AuditEvent(AuditRecord record)
    {
        var fhir = record.Action.StartsWith("fhir.", StringComparison.Ordinal);
        var interaction = fhir ? Interaction(record) : null;
        var started = record.Recorded - TimeSpan.FromMilliseconds(record.DurationMs);
        var audit = new JsonObject
        {
            ["resourceType"] = "AuditEvent",
            ["type"] = fhir ? Coding(AuditEventType, "rest", "RESTful Operation") : Coding(Dicom, "110114", "User Authentication"),
            ["subtype"] = new JsonArray(
                fhir ? Coding(RestfulInteraction, interaction!, null) : Login(record.Action),
                Coding(GatewayAction, record.Action, null)),
            ["action"] = Action(record.Action),
            ["period"] = new JsonObject { ["start"] = Instant(started), ["end"] = Instant(record.Recorded) },
            ["recorded"] = Instant(record.Recorded),
            ["outcome"] = Outcome(record),
            ["outcomeDesc"] = record.Status is { } status
                ? string.Create(CultureInfo.InvariantCulture, $"{record.Outcome}: HTTP {status}")
                : record.Reason is null ? record.Outcome : $"{record.Outcome}: {record.Reason}",
            ["agent"] = new JsonArray(new JsonObject
            {
                ["who"] = new JsonObject { ["identifier"] = new JsonObject { ["system"] = OwnerSystem, ["value"] = record.OwnerHash } },
                ["requestor"] = true,
            }),
            ["source"] = new JsonObject
            {
                ["observer"] = new JsonObject { ["display"] = "FHIR Gateway" },
                ["type"] = new JsonArray(Coding(SourceType, "4", "Application Server")),
            },
            ["entity"] = Entities(record),
        };
        return audit;
    }

    private static JsonArray Entities(AuditRecord record)
    {
        var details = new JsonArray();
        AddDetail(details, "platform", record.PlatformId);
        AddDetail(details, "operation", record.Operation);
        AddDetail(details, "trace_id", record.TraceId);
        AddDetail(details, "duration_ms", record.DurationMs.ToString("0.0", CultureInfo.InvariantCulture));
        var entity = new JsonObject
        {
            ["type"] = Coding(EntityType, "2", "System Object"),
            ["what"] = record switch
            {
                { ResourceType: { } type, ResourceId: { } id } => new JsonObject { ["reference"] = $"{type}/{id}" },
                { ResourceType: { } type } => new JsonObject { ["type"] = type },
                { PlatformId: { } platform } => new JsonObject { ["identifier"] = new JsonObject { ["system"] = PlatformSystem, ["value"] = platform } },
                _ => new JsonObject { ["display"] = "FHIR Gateway" },
            },
            ["detail"] = details,
        };
        return new JsonArray(entity);
    }

    private static void AddDetail(JsonArray details, string type, string? value)
    {
        if (value is not null)
        {
            details.Add(new JsonObject { ["type"] = type, ["valueString"] = value });
        }
    }

    /// <summary>The restful-interaction code; pages of a search are the search's.</summary>
    private static string Interaction(AuditRecord record) => record.Action switch
    {
        "fhir.read" => "read",
        "fhir.vread" => "vread",
        "fhir.create" => "create",
        "fhir.update" => "update",
        "fhir.patch" => "patch",
        "fhir.delete" => "delete",
        "fhir.history" => record.ResourceId is null ? "history-type" : "history-instance",
        "fhir.capabilities" => "capabilities",
        "fhir.batch" => "batch",
        "fhir.operation" => "operation",
        "fhir.search" or "fhir.page" => record.ResourceType is null ? "search-system" : "search-type",
        _ => "operation",
    };

    /// <summary>AuditEvent.action: C, R, U, D, or E (execute: searches, operations, batches and logins).</summary>
    private static string Action(string action) => action switch
    {
        "fhir.create" => "C",
        "fhir.read" or "fhir.vread" or "fhir.history" or "fhir.capabilities" => "R",
        "fhir.update" or "fhir.patch" => "U",
        "fhir.delete" => "D",
        _ => "E",
    };

    private static JsonObject Login(string action) => action == AuditAction.TokenRevoke
        ? Coding(Dicom, "110123", "Logout")
        : Coding(Dicom, "110122", "Login");

    /// <summary>AuditEvent.outcome: 0 success, 4 minor failure (refused, invalid state, a 4xx), 8 serious failure (a 5xx, unreachable).</summary>
    private static string Outcome(AuditRecord record) => (record.Status, record.Outcome) switch
    {
        ({ } status, _) => status < 400 ? "0" : status < 500 ? "4" : "8",
        (_, AuditOutcome.Success) => "0",
        (_, AuditOutcome.Denied or AuditOutcome.InvalidState) => "4",
        _ => "8",
    };

    private static JsonObject Coding(string system, string code, string? display)
    {
        var coding = new JsonObject { ["system"] = system, ["code"] = code };
        if (display is not null)
        {
            coding["display"] = display;
        }

        return coding;
    }

    /// <summary>A FHIR instant in the audit line's own text (<see cref="AuditLogProvider.WriteTime"/>).</summary>
    private static string Instant(DateTimeOffset time)
    {
        Span<byte> text = stackalloc byte[AuditLogProvider.TimeBytes];
        return Encoding.ASCII.GetString(text[..AuditLogProvider.WriteTime(time.UtcDateTime, text)]);
    }
}
