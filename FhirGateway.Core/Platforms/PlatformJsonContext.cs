using System.Text.Json.Serialization;

namespace FhirGateway.Core.Platforms;

/// <summary>Source-generated JSON for platform files and answers: snake_case, as the original project's files.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(PlatformDefinition))]
[JsonSerializable(typeof(PlatformSummary))]
[JsonSerializable(typeof(PlatformList))]
public sealed partial class PlatformJsonContext : JsonSerializerContext;
