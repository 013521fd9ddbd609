using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace FhirGateway.Core.Audit;

/// <summary>Source-generated JSON for the AuditEvent Bundles.</summary>
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
