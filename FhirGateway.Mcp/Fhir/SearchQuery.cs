using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ModelContextProtocol;

namespace FhirGateway.Mcp.Fhir;

/// <summary>
/// Builds a FHIR query string from tool arguments: <c>{"category": "laboratory", "date": ["ge2024", "lt2025"]}</c>
/// gives <c>category=laboratory&amp;date=ge2024&amp;date=lt2025</c> (an array repeats the parameter: AND; a
/// comma inside a value is FHIR's OR). Names are checked; values are percent-encoded.
/// </summary>
internal sealed partial class SearchQuery
{
    private readonly StringBuilder _query = new();

    public SearchQuery Add(IReadOnlyDictionary<string, JsonElement>? parameters)
    {
        foreach (var (name, value) in parameters ?? new Dictionary<string, JsonElement>())
        {
            if (value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in value.EnumerateArray())
                {
                    Add(name, Scalar(name, item));
                }
            }
            else
            {
                Add(name, Scalar(name, value));
            }
        }

        return this;
    }

    public SearchQuery Add(string name, string? value)
    {
        if (value is null)
        {
            return this;
        }

        if (!ParameterName().IsMatch(name))
        {
            throw new McpException($"'{name}' is not a FHIR search parameter name (letters, digits, '_', '-', '.', ':').");
        }

        _query.Append(_query.Length == 0 ? "" : "&").Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        return this;
    }

    public SearchQuery Add(string name, IEnumerable<string>? values)
    {
        foreach (var value in values ?? [])
        {
            Add(name, value);
        }

        return this;
    }

    public override string ToString() => _query.ToString();

    private static string Scalar(string name, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw new McpException(string.Create(CultureInfo.InvariantCulture, $"The value of '{name}' must be a string, a number, a boolean or an array of them.")),
    };

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_\-\.:]{0,127}$")]
    private static partial Regex ParameterName();
}
