using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using FhirGateway.Testing;

namespace FhirGateway.Mcp.Tests.Fuzz;

/// <summary>One fuzz request: the JSON-RPC body posted to <c>/mcp</c>, and what it aims at (a tool's name, or <c>jsonrpc</c>).</summary>
public sealed record FuzzCall(string Target, byte[] Body, string ContentType = "application/json")
{
    public override string ToString()
    {
        var text = Encoding.UTF8.GetString(Body);
        return $"{Target}: {(text.Length > 300 ? text[..300] + $"... ({Body.Length} bytes)" : text)}";
    }
}

/// <summary>
/// Malformed <c>tools/call</c> requests for every tool the server lists, from a seeded <see cref="Random"/> (the same
/// seed gives the same requests): arguments of the wrong JSON type, missing, unknown, huge (100 KB+), unicode and
/// control characters, deeply nested, negative or huge numbers, bogus and forged page tokens, invalid resource types
/// and ids; a third of the calls valid-looking, so they reach the real sandbox. And raw JSON-RPC garbage.
/// Nothing here can make the server wait long: waits and export timeouts are always given and at most a second.
/// </summary>
public sealed class MalformedToolCalls(int seed, IReadOnlyList<(string Name, JsonElement Schema)> tools)
{
    public const string JsonRpc = "jsonrpc";

    private static readonly string[] Platforms = ["local-sandbox", "local-sandbox", "local-sandbox", "LOCAL-SANDBOX", "local-sandbox-ehr", "unknown-platform", "", " ", "../local-sandbox", "local sandbox", "aetna", "😀"];
    private static readonly string[] Types = ["Patient", "Observation", "Condition", "MedicationRequest", "Bundle", "patient", "Foo", "", "Patient/123", "../Patient", "$everything", "_history", "Pätient", "Patient?x=1", "Patient#x", "Resource", "OperationOutcome"];
    private static readonly string[] Ids = [SandboxServers.PatientId, "123", "does-not-exist", "..", ".", "a/b", "x%00", "' OR 1=1 --", "😀", "<script>", "-", "id with space", "_history", "$everything", new string('1', 65)];
    private static readonly string[] Operations = ["$everything", "everything", "$lastn", "$validate", "$evil", "$", "$$", "$export", "../$everything", "$everything?x=1", "$ünïcode", "$meta-delete"];
    private static readonly string[] ParameterNames = ["category", "patient", "code", "_count", "_id", "name", "date", "_format", "_include", "_elements", "", "a b", "😀", "x=y", "a&b", "_has:Observation:patient:code", "url", "_page"];
    private static readonly string[] JsonTypes = ["string", "integer", "boolean", "array", "object", "null"];
    private static readonly string[] Extras = ["extra", "url", "__proto__", "", "platformId", "authorization", "X-FHIR-Gateway-Key", "😀"];

    private readonly Random _random = new(seed);

    public FuzzCall Next() => _random.Next(100) < 12 ? Garbage() : ToolCall();

    private FuzzCall ToolCall()
    {
        var (name, schema) = tools[_random.Next(tools.Count)];
        var properties = schema.TryGetProperty("properties", out var p) ? p.EnumerateObject().ToList() : [];
        var mode = _random.Next(10); // 0-2: valid-looking, 3-7: one or two wrong, 8-9: many wrong
        var wrong = mode switch
        {
            < 3 => new HashSet<string>(),
            < 8 => properties.Count == 0 ? [] : Enumerable.Range(0, _random.Next(1, 3)).Select(_ => properties[_random.Next(properties.Count)].Name).ToHashSet(),
            _ => properties.Where(_ => _random.Next(2) == 0).Select(q => q.Name).ToHashSet(),
        };

        var body = Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            writer.WriteNumber("id", _random.Next(1, 1_000_000));
            writer.WriteString("method", "tools/call");
            writer.WriteStartObject("params");
            writer.WriteString("name", name);
            if (_random.Next(25) == 0)
            {
                writer.WritePropertyName("arguments");
                WrongType(writer, "object", nullable: true); // arguments itself not an object
            }
            else
            {
                writer.WriteStartObject("arguments");
                foreach (var property in properties)
                {
                    if (wrong.Contains(property.Name))
                    {
                        // A wait left out or null is the documented 60 s default: always give a malformed one instead.
                        if (_random.Next(4) > 0 || property.Name == "timeout")
                        {
                            writer.WritePropertyName(property.Name);
                            Malformed(writer, TypeOf(property.Value), nullable: property.Name != "timeout");
                        }
                    }
                    else if (Keep(property.Name))
                    {
                        writer.WritePropertyName(property.Name);
                        Plausible(writer, name, property.Name, TypeOf(property.Value));
                    }
                }

                if (_random.Next(6) == 0)
                {
                    writer.WritePropertyName(Pick(Extras));
                    Malformed(writer, "string", nullable: true);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        });
        return new FuzzCall(name, body);
    }

    /// <summary>Valid-looking calls give every required argument and, often, optional ones; a wait is never left to its 60 s default.</summary>
    private bool Keep(string parameter) =>
        parameter == "timeout" || parameter is "platform_id" or "resource_type" or "id" or "page" or "resource" or "patch" or "operation" or "code" or "code_system" or "claim_identifier"
        || _random.Next(3) == 0;

    private void Plausible(Utf8JsonWriter writer, string tool, string parameter, string type)
    {
        switch (parameter)
        {
            case "platform_id":
                // Never revoke the fuzz key's own connection: the rest of the run needs it.
                writer.WriteStringValue(tool == "revoke_auth" ? "local-sandbox-ehr" : Pick(Platforms));
                break;
            case "resource_type":
                writer.WriteStringValue(Pick(Types));
                break;
            case "id" or "group_id" or "patient_id" or "coverage_id" or "version_id" or "claim_identifier":
                var id = Pick(Ids);
                // Writes never touch the seeded patient other tests read.
                writer.WriteStringValue(tool is "delete" or "update" or "patch" && id == SandboxServers.PatientId ? "fuzz-" + _random.Next(1000).ToString(CultureInfo.InvariantCulture) : id);
                break;
            case "operation":
                writer.WriteStringValue(Pick(Operations));
                break;
            case "page" or "job":
                writer.WriteStringValue(PageToken());
                break;
            case "timeout":
                writer.WriteNumberValue(Pick([0, 0, 0.2, 1]));
                break;
            case "count":
                writer.WriteNumberValue(Pick([1, 2, 5, 20]));
                break;
            case "max_pages":
                writer.WriteNumberValue(Pick([1, 2, 3]));
                break;
            case "level":
                writer.WriteStringValue(Pick(["patient", "group", "system", "everything", ""]));
                break;
            case "params":
                SearchParams(writer);
                break;
            case "resource" or "parameters" or "questionnaire_response":
                Resource(writer);
                break;
            case "patch":
                writer.WriteRawValue(Pick(["[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"final\"}]", "[{\"op\":\"explode\"}]", "[]", "{\"resourceType\":\"Parameters\"}", "[{\"op\":\"remove\",\"path\":\"/\"}]"]));
                break;
            case "answers":
                writer.WriteRawValue(Pick(["{\"symptom-weeks\":8,\"conservative-therapy\":true}", "{}", "{\"x\":{\"y\":[1,2,{}]}}", "[1,2]"]));
                break;
            case "since":
                writer.WriteStringValue(Pick(["2024-01-01T00:00:00Z", "yesterday", "2024-13-45", ""]));
                break;
            case "code_system":
                writer.WriteStringValue(Pick(["cpt", "hcpcs", "snomed", "loinc", "rxnorm", "http://loinc.org", "urn:evil", ""]));
                break;
            default:
                Typical(writer, type);
                break;
        }
    }

    private void Typical(Utf8JsonWriter writer, string type)
    {
        switch (type)
        {
            case "integer":
                writer.WriteNumberValue(_random.Next(1, 10));
                break;
            case "number":
                writer.WriteNumberValue(0.5);
                break;
            case "boolean":
                writer.WriteBooleanValue(_random.Next(2) == 0);
                break;
            case "array":
                writer.WriteStartArray();
                writer.WriteStringValue(Pick(Types));
                writer.WriteEndArray();
                break;
            case "object" or "any":
                SearchParams(writer);
                break;
            default:
                writer.WriteStringValue(Pick(["72148", "E0601", "Observation:patient", "-date", "code,value", "openid patient/*.rs", "none", ""]));
                break;
        }
    }

    /// <summary>Something wrong for a parameter of JSON type <paramref name="type"/>.</summary>
    private void Malformed(Utf8JsonWriter writer, string type, bool nullable)
    {
        switch (_random.Next(nullable ? 9 : 8))
        {
            case 0 or 1:
                WrongType(writer, type, nullable);
                break;
            case 2:
                writer.WriteStringValue(new string(Pick(['x', 'é', '0']), _random.Next(100_000, 200_000)));
                break;
            case 3 or 4:
                writer.WriteStringValue(Unicode(_random.Next(1, 60)));
                break;
            case 5:
                writer.WriteRawValue(Deep(_random.Next(70, 1500)), skipInputValidation: true);
                break;
            case 6 or 7 when !nullable:
                writer.WriteRawValue(Pick(["-1", "-2147483649", "2147483648", "1e308", "-1e308", "301", "1e400"]), skipInputValidation: true);
                break;
            case 6:
                writer.WriteRawValue(Pick(["-1", "0", "-2147483649", "2147483648", "1e308", "-1e308", "99999999999999999999999999", "1.5", "-0", "4.9e-324"]), skipInputValidation: true);
                break;
            case 7:
                writer.WriteRawValue(Pick(["\"\\ud800\"", "\"\\udfff\\ud800\"", "\"\\u0000\"", "\"a\\u0000b\"", "\"\\u202e\\ufeff\""]), skipInputValidation: true);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    private void WrongType(Utf8JsonWriter writer, string type, bool nullable)
    {
        var choices = JsonTypes.Where(t => t != type && !(t == "integer" && type == "number") && (nullable || t != "null")).ToArray();
        switch (Pick(choices))
        {
            case "string":
                writer.WriteStringValue(Pick(["5", "true", "abc", "", "[]", "{}", "null"]));
                break;
            case "integer":
                writer.WriteNumberValue(_random.Next(-5, 500));
                break;
            case "boolean":
                writer.WriteBooleanValue(true);
                break;
            case "array":
                writer.WriteRawValue(Pick(["[]", "[1,\"a\",null]", "[[[]]]", "[{\"a\":1}]"]));
                break;
            case "object":
                writer.WriteRawValue(Pick(["{}", "{\"a\":1}", "{\"resourceType\":\"Patient\"}", "{\"\":null}"]));
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    private void SearchParams(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        for (var i = _random.Next(0, 4); i > 0; i--)
        {
            writer.WritePropertyName(Pick(ParameterNames));
            switch (_random.Next(8))
            {
                case 0:
                    writer.WriteNumberValue(_random.Next(-10, 100));
                    break;
                case 1:
                    writer.WriteRawValue(Pick(["[\"ge2024-01-01\",\"lt2025-01-01\"]", "[1,true]", "[[\"nested\"]]", "[{}]", "[]", "[null]"]));
                    break;
                case 2:
                    writer.WriteRawValue(Pick(["{}", "null", "{\"a\":\"b\"}"]));
                    break;
                case 3:
                    writer.WriteBooleanValue(true);
                    break;
                default:
                    writer.WriteStringValue(Pick(["laboratory", $"Patient/{SandboxServers.PatientId}", "http://loinc.org|4548-4", "", "a,b", "😀", "http://evil.example/x", "%00", "x&_format=xml"]));
                    break;
            }
        }

        writer.WriteEndObject();
    }

    private void Resource(Utf8JsonWriter writer) =>
        writer.WriteRawValue(_random.Next(8) switch
        {
            0 => "{\"resourceType\":\"Observation\",\"status\":\"preliminary\",\"code\":{\"text\":\"fuzz\"},\"subject\":{\"reference\":\"Patient/" + SandboxServers.PatientId + "\"}}",
            1 => "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Fuzz\"}]}",
            2 => "{\"resourceType\":\"Foo\"}",
            3 => "{}",
            4 => "{\"resourceType\":\"Patient\",\"id\":\"" + Pick(Ids).Replace("\"", "", StringComparison.Ordinal) + "\",\"birthDate\":\"not-a-date\"}",
            5 => "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"x\",\"valueString\":\"y\"}]}",
            6 => "\"{\\\"resourceType\\\":\\\"Patient\\\"}\"",
            _ => "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"request\":{\"method\":\"DELETE\",\"url\":\"Patient/" + SandboxServers.PatientId + "\"}}]}",
        }, skipInputValidation: true);

    /// <summary>Bogus and forged page tokens: not base64, another version, paths out of the base, absolute URLs (SSRF).</summary>
    private string PageToken() => _random.Next(8) switch
    {
        0 => "pg1." + Encode("_page?url=" + Uri.EscapeDataString(Pick(["http://169.254.169.254/latest/meta-data", "http://127.0.0.1:6379/", "file:///etc/passwd", "//evil.example/x", "http://evil.example/fhir/Patient"]))),
        1 => "pg1." + Encode(Pick(["../../admin", "Patient/../../x", "//evil.example/Patient", "Patient?_count=1", "Observation?_getpages=abc&_getpagesoffset=-1", "", "%2e%2e/x", "Patient\r\nHost: evil"])),
        2 => "pg1.not*base64!",
        3 => "pg2." + Encode("Patient"),
        4 => "",
        5 => "pg1." + new string('A', _random.Next(8000, 9000)),
        6 => Unicode(20),
        _ => "pg1." + Encode(Unicode(30)),
    };

    private static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    /// <summary>Raw JSON-RPC garbage: not JSON, the wrong version, unknown methods, huge ids, batches, notifications.</summary>
    private FuzzCall Garbage()
    {
        var id = Pick(["1", "0", "-1", "1e308", "99999999999999999999999999999999", "\"" + new string('i', 70_000) + "\"", "{}", "[]", "null", "true", "1.5"]);
        var text = _random.Next(14) switch
        {
            0 => "{",
            1 => "not json at all",
            2 => "",
            3 => "[]",
            4 => "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"},{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\"}]",
            5 => $"{{\"jsonrpc\":\"{Pick(["1.0", "3.0", "", "2"])}\",\"id\":1,\"method\":\"tools/list\"}}",
            6 => "{\"jsonrpc\":2.0,\"id\":1,\"method\":\"tools/list\"}",
            7 => $"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"tools/call\",\"params\":{{\"name\":\"list_platforms\",\"arguments\":{{}}}}}}",
            8 => $"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"{Pick(["tools/explode", "", "rpc.discover", "resources/read", "prompts/get", "sampling/createMessage", new string('m', 10_000)])}\"}}",
            9 => $"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{Pick(["null", "[]", "\"x\"", "{}", "{\"name\":null}", "{\"name\":42}", "{\"name\":\"no_such_tool\",\"arguments\":{}}", "{\"name\":\"\"}"])}}}",
            10 => "{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\",\"params\":{\"name\":\"search\",\"arguments\":{}}}",
            11 => "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"read\",\"arguments\":" + Deep(_random.Next(100, 3000)) + "}}",
            12 => Encoding.Latin1.GetString(RandomBytes(_random.Next(1, 500))),
            _ => "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"1999-01-01\",\"capabilities\":" + Deep(80) + "}}",
        };
        var contentType = _random.Next(15) == 0 ? Pick(["text/plain", "application/xml", "application/json; charset=utf-16"]) : "application/json";
        return new FuzzCall(JsonRpc, Encoding.UTF8.GetBytes(text), contentType);
    }

    private string Deep(int depth)
    {
        var array = _random.Next(2) == 0;
        var builder = new StringBuilder(depth * 6);
        for (var i = 0; i < depth; i++)
        {
            builder.Append(array ? "[" : "{\"a\":");
        }

        builder.Append('1');
        for (var i = 0; i < depth; i++)
        {
            builder.Append(array ? ']' : '}');
        }

        return builder.ToString();
    }

    /// <summary>Valid UTF-16 with control characters, bidi overrides, separators, non-Latin letters and emoji.</summary>
    private string Unicode(int length)
    {
        var builder = new StringBuilder(length * 2);
        for (var i = 0; i < length; i++)
        {
            _ = _random.Next(7) switch
            {
                0 => builder.Append((char)_random.Next(0, 32)),
                1 => builder.Append(Pick(["\u202e", "\ufeff", "\u200b", "\u2028", "\u0085"])),
                2 => builder.Append("/\\?#%&=+;:@.\"'<> "[_random.Next(17)]),
                3 => builder.Append((char)_random.Next(0x400, 0x800)),
                4 => builder.Append("😀"),
                _ => builder.Append((char)_random.Next('a', 'z' + 1)),
            };
        }

        return builder.ToString();
    }

    private static string TypeOf(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return "any";
        }

        return type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t != "null") ?? "any"
            : type.GetString() ?? "any";
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { MaxDepth = 10_000, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }

        return stream.ToArray();
    }

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];
}
