using System.Text.Json.Serialization;

namespace FhirGateway.Core.Tokens.Protection;

/// <summary>The stored shapes, compact: no indentation, no nulls.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PlatformConnection))]
[JsonSerializable(typeof(PendingAuthorization))]
[JsonSerializable(typeof(ConnectionEventMessage))]
internal sealed partial class TokenStoreJsonContext : JsonSerializerContext;
