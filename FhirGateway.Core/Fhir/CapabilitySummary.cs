using System.Text.Json;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// A compact view of a CapabilityStatement: what a client (or an agent) needs to know to call the platform,
/// without the statement's hundreds of kilobytes.
/// </summary>
/// <param name="FhirVersion">The FHIR version the server states.</param>
/// <param name="Software">The server software's name and version.</param>
/// <param name="Formats">The formats it speaks.</param>
/// <param name="Resources">Per resource type: interactions, search parameters and operations.</param>
/// <param name="Operations">System-level operations.</param>
public sealed record CapabilitySummary(
    string? FhirVersion, string? Software, IReadOnlyList<string> Formats, IReadOnlyList<ResourceCapability> Resources, IReadOnlyList<string> Operations)
{
    /// <summary>Summarizes a CapabilityStatement (FHIR JSON); null when it is not one.</summary>
    public static CapabilitySummary? From(ReadOnlySpan<byte> statement)
    {
        using var document = JsonDocument.Parse(statement.ToArray());
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || Text(root, "resourceType") != "CapabilityStatement")
        {
            return null;
        }

        var software = root.TryGetProperty("software", out var s) ? $"{Text(s, "name")} {Text(s, "version")}".Trim() : null;
        var resources = new List<ResourceCapability>();
        var operations = new List<string>();
        foreach (var rest in Array(root, "rest").Where(r => Text(r, "mode") is null or "server"))
        {
            operations.AddRange(Names(rest, "operation", "name"));
            resources.AddRange(Array(rest, "resource").Select(r => new ResourceCapability(
                Text(r, "type") ?? "?", Names(r, "interaction", "code"), Names(r, "searchParam", "name"), Names(r, "operation", "name"))));
        }

        return new CapabilitySummary(Text(root, "fhirVersion"), string.IsNullOrEmpty(software) ? null : software,
            Array(root, "format").Select(f => f.GetString() ?? "").ToList(), resources, operations);
    }

    private static List<JsonElement> Array(JsonElement element, string name) =>
        element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array ? array.EnumerateArray().ToList() : [];

    private static List<string> Names(JsonElement element, string array, string field) =>
        Array(element, array).Select(e => Text(e, field)).OfType<string>().ToList();

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>What a platform offers for one resource type.</summary>
/// <param name="Type">The resource type.</param>
/// <param name="Interactions">Interaction codes (read, search-type, create, ...).</param>
/// <param name="SearchParams">Search parameter names.</param>
/// <param name="Operations">Type- and instance-level operation names.</param>
public sealed record ResourceCapability(string Type, IReadOnlyList<string> Interactions, IReadOnlyList<string> SearchParams, IReadOnlyList<string> Operations);
