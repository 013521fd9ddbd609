using System.Text.Json;

namespace FhirGateway.Mcp.Fhir;

/// <summary>A platform's successful answer, read whole: status, headers and the JSON body (if any).</summary>
public sealed class FhirAnswer(int status, IReadOnlyList<KeyValuePair<string, string>> headers, JsonDocument? body) : IDisposable
{
    public int Status { get; } = status;

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; } = headers;

    /// <summary>The JSON body; null when the platform sent none.</summary>
    public JsonDocument? Body { get; } = body;

    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public void Dispose() => Body?.Dispose();
}
