using System.Globalization;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace FhirGateway.Mcp.Errors;

/// <summary>
/// Checks a tool call's arguments against the tool's own input schema (the one <c>tools/list</c> publishes) before
/// the SDK binds them: unknown names, missing required ones, the wrong JSON type, whole numbers out of range, and
/// strings that are not Unicode text. Each becomes an <see cref="McpException"/> naming the argument, instead of the
/// binder's exception, which the SDK would mask as a generic "An error occurred invoking" the agent cannot act on.
/// </summary>
internal static class ToolArgumentFilter
{
    private const int MaxNameShown = 40;

    public static McpRequestFilter<CallToolRequestParams, CallToolResult> Tools => next => (context, cancellationToken) =>
    {
        if (context.MatchedPrimitive is McpServerTool tool)
        {
            Check(tool.ProtocolTool, context.Params?.Arguments);
        }

        return next(context, cancellationToken);
    };

    private static void Check(Tool tool, IDictionary<string, JsonElement>? arguments)
    {
        var schema = tool.InputSchema;
        var properties = schema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        foreach (var (name, value) in arguments ?? new Dictionary<string, JsonElement>())
        {
            if (properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(name, out var property))
            {
                throw new McpException($"{tool.Name} has no argument '{Shown(name)}'; it takes {Names(properties)}.");
            }

            CheckValue(name, value, property);
        }

        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()).OfType<string>())
            {
                if (arguments is null || !arguments.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    throw new McpException($"{tool.Name} needs the argument '{name}'{Described(properties, name)}.");
                }
            }
        }
    }

    private static void CheckValue(string name, JsonElement value, JsonElement schema)
    {
        var types = Types(schema);
        if (types.Count == 0)
        {
            return; // any JSON (a FHIR resource, a Parameters body): the tool reads it
        }

        var expected = types.FirstOrDefault(t => Fits(value, t));
        if (expected is null)
        {
            throw new McpException($"The argument '{name}' must be {string.Join(" or ", types.Select(Article))}, not {Kind(value)}.");
        }

        if (expected == "string" && !IsText(value))
        {
            throw new McpException($"The argument '{name}' is not valid Unicode text (it has an unpaired surrogate).");
        }

        if (expected == "array" && schema.TryGetProperty("items", out var items))
        {
            foreach (var item in value.EnumerateArray())
            {
                CheckValue($"{name}[]", item, items);
            }
        }
    }

    /// <summary>The JSON types a schema allows; none when it allows anything.</summary>
    private static List<string> Types(JsonElement schema) =>
        !schema.TryGetProperty("type", out var type) ? []
        : type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Select(t => t.GetString()).OfType<string>()]
        : type.GetString() is { } one ? [one] : [];

    private static bool Fits(JsonElement value, string type) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        // The tools' whole numbers are Int32 parameters.
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _),
        "number" => value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "array" => value.ValueKind == JsonValueKind.Array,
        "object" => value.ValueKind == JsonValueKind.Object,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };

    private static bool IsText(JsonElement value)
    {
        try
        {
            _ = value.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when !(value.TryGetDouble(out var n) && double.IsFinite(n)) => "a number too large",
        JsonValueKind.Number => Math.Floor(value.GetDouble()) == value.GetDouble() ? "a number outside the 32-bit range" : "a fractional number",
        JsonValueKind.String => "a string",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    private static string Article(string type) => type switch
    {
        "integer" => "a whole number (32-bit)",
        "number" => "a finite number",
        "boolean" => "true or false",
        "array" or "object" => $"an {type}",
        "null" => "null",
        _ => $"a {type}",
    };

    private static string Names(JsonElement properties) =>
        properties.ValueKind == JsonValueKind.Object && properties.EnumerateObject().Any()
            ? string.Join(", ", properties.EnumerateObject().Select(p => p.Name))
            : "no arguments";

    private static string Described(JsonElement properties, string name) =>
        properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(name, out var property)
            && property.TryGetProperty("description", out var description) && description.GetString() is { Length: > 0 } text
            ? $" ({text.TrimEnd('.')})"
            : "";

    /// <summary>An argument name as the agent sent it, shortened and with control characters masked.</summary>
    private static string Shown(string name)
    {
        var shown = name.Length <= MaxNameShown ? name : name[..MaxNameShown] + "…";
        return string.Create(CultureInfo.InvariantCulture, $"{new string([.. shown.Select(c => char.IsControl(c) ? '?' : c)])}");
    }
}
