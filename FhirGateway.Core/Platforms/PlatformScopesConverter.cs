using System.Text.Json;
using System.Text.Json.Serialization;

namespace FhirGateway.Core.Platforms;

/// <summary>Reads and writes <see cref="PlatformScopes"/> as a list, or as an object of two lists when they differ.</summary>
internal sealed class PlatformScopesConverter : JsonConverter<PlatformScopes>
{
    private const string PublicKey = "public_client";
    private const string ConfidentialKey = "confidential_client";

    public override PlatformScopes Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            var list = ReadList(ref reader);
            return new PlatformScopes(list, list);
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Scopes must be a list of strings or an object with public_client and confidential_client lists.");
        }

        IReadOnlyList<string> publicClient = [], confidentialClient = [];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            var list = ReadList(ref reader);
            if (name == PublicKey)
            {
                publicClient = list;
            }
            else if (name == ConfidentialKey)
            {
                confidentialClient = list;
            }
        }

        return new PlatformScopes(publicClient, confidentialClient);
    }

    public override void Write(Utf8JsonWriter writer, PlatformScopes value, JsonSerializerOptions options)
    {
        if (value.PublicClient.SequenceEqual(value.ConfidentialClient))
        {
            WriteList(writer, value.PublicClient);
            return;
        }

        writer.WriteStartObject();
        writer.WritePropertyName(PublicKey);
        WriteList(writer, value.PublicClient);
        writer.WritePropertyName(ConfidentialKey);
        WriteList(writer, value.ConfidentialClient);
        writer.WriteEndObject();
    }

    private static List<string> ReadList(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("Expected a list of scopes.");
        }

        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(reader.GetString() ?? throw new JsonException("A scope must be a string."));
        }

        return list;
    }

    private static void WriteList(Utf8JsonWriter writer, IReadOnlyList<string> list)
    {
        writer.WriteStartArray();
        foreach (var scope in list)
        {
            writer.WriteStringValue(scope);
        }

        writer.WriteEndArray();
    }
}
