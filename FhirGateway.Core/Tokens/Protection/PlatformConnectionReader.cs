using System.Text.Json;

namespace FhirGateway.Core.Tokens.Protection;

/// <summary>
/// Reads a stored connection (the JSON <see cref="TokenStoreJsonContext"/> writes) in one forward pass. The
/// serializer's path for a type with required init-only members buffers every value before it builds the object
/// and took as long as the decryption; this reader builds it directly. Unknown members are skipped, so a value
/// written by a newer gateway still opens.
/// </summary>
internal static class PlatformConnectionReader
{
    /// <exception cref="JsonException">Not a connection: malformed, or a required member missing.</exception>
    public static PlatformConnection Read(ReadOnlySpan<byte> json)
    {
        try
        {
            return ReadObject(json);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            // A member of the wrong JSON type, or a date that is not one.
            throw new JsonException("A stored connection has a member of the wrong type.", e);
        }
    }

    private static PlatformConnection ReadObject(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A stored connection is a JSON object.");
        }

        string? platformId = null, accessToken = null, refreshToken = null, tokenType = null, scope = null;
        string? patient = null, encounter = null, fhirUser = null, reauthorization = null;
        DateTimeOffset? expiresAt = null, connectedAt = null, refreshedAt = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader;
            reader.Read();
            if (name.ValueTextEquals("PlatformId"u8)) platformId = reader.GetString();
            else if (name.ValueTextEquals("AccessToken"u8)) accessToken = reader.GetString();
            else if (name.ValueTextEquals("RefreshToken"u8)) refreshToken = reader.GetString();
            else if (name.ValueTextEquals("TokenType"u8)) tokenType = reader.GetString();
            else if (name.ValueTextEquals("ExpiresAt"u8)) expiresAt = Date(ref reader);
            else if (name.ValueTextEquals("Scope"u8)) scope = reader.GetString();
            else if (name.ValueTextEquals("Patient"u8)) patient = reader.GetString();
            else if (name.ValueTextEquals("Encounter"u8)) encounter = reader.GetString();
            else if (name.ValueTextEquals("FhirUser"u8)) fhirUser = reader.GetString();
            else if (name.ValueTextEquals("ConnectedAt"u8)) connectedAt = Date(ref reader);
            else if (name.ValueTextEquals("RefreshedAt"u8)) refreshedAt = Date(ref reader);
            else if (name.ValueTextEquals("ReauthorizationReason"u8)) reauthorization = reader.GetString();
            else reader.Skip();
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new JsonException("A stored connection is one JSON object.");
        }

        return new PlatformConnection
        {
            PlatformId = platformId ?? throw new JsonException("A stored connection names its platform."),
            AccessToken = accessToken ?? throw new JsonException("A stored connection holds an access token."),
            RefreshToken = refreshToken,
            TokenType = tokenType ?? "Bearer",
            ExpiresAt = expiresAt,
            Scope = scope,
            Patient = patient,
            Encounter = encounter,
            FhirUser = fhirUser,
            ConnectedAt = connectedAt ?? throw new JsonException("A stored connection says when it was made."),
            RefreshedAt = refreshedAt,
            ReauthorizationReason = reauthorization,
        };
    }

    private static DateTimeOffset? Date(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null ? null : reader.GetDateTimeOffset();
}
