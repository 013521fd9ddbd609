using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace FhirGateway.Core.Coverage;

/// <summary>Source-generated JSON for coverage answers: snake_case like the rest of the gateway's answers.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PriorAuthCheck))]
[JsonSerializable(typeof(PolicyRules))]
[JsonSerializable(typeof(QuestionnairePackage))]
[JsonSerializable(typeof(QuestionnaireValidation))]
[JsonSerializable(typeof(PriorAuthDecision))]
[JsonSerializable(typeof(JsonNode))]
public sealed partial class CoverageJsonContext : JsonSerializerContext;
