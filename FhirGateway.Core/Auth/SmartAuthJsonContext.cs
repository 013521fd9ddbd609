using System.Text.Json.Serialization;

namespace FhirGateway.Core.Auth;

/// <summary>
/// JSON of authorization servers: snake_case names; numbers also read from strings, because some platforms
/// send <c>"expires_in": "3600"</c>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip)]
[JsonSerializable(typeof(AuthServerMetadata))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(OAuthErrorResponse))]
internal sealed partial class SmartAuthJsonContext : JsonSerializerContext;
