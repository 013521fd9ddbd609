using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;

namespace FhirGateway.Core.Fhir;

/// <summary>The shapes of the parts of a FHIR URL the gateway accepts.</summary>
public static partial class FhirNames
{
    /// <summary>Where the REST front-end serves FHIR (<c>/api/fhir/{platform_id}/...</c>); links made by any front-end point there.</summary>
    public const string GatewayRoutePrefix = "/api/fhir";

    /// <summary>The gateway route (under a platform) that follows an opaque paging or bulk-status link: <c>_page?url=...</c>.</summary>
    public const string PageRoute = "_page";

    /// <summary>
    /// The concrete FHIR R4 resource types (Firely's <c>ResourceType</c>, as <c>ModelInfo</c> names them), in a set that
    /// also answers for a span of a path: every FHIR route and every rewritten link asks, and Firely's own lookup by
    /// name cost ~0.3 µs a call (ProxyBench profile, 2026-11-29).
    /// </summary>
    private static readonly FrozenSet<string> ResourceTypes = Enum.GetValues<ResourceType>()
        .Select(type => ModelInfo.ResourceTypeToFhirTypeName(type)!)
        .Where(name => name is not ("Resource" or "DomainResource") && ModelInfo.IsKnownResource(name))
        .ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> ResourceTypesBySpan =
        ResourceTypes.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Whether <paramref name="type"/> is a concrete FHIR R4 resource type (Firely <c>ModelInfo</c>).</summary>
    public static bool IsResourceType(string? type) => type is not null && ResourceTypes.Contains(type);

    /// <summary>
    /// Whether <paramref name="id"/> is a FHIR id (R4 datatypes.html#id: <c>[A-Za-z0-9\-\.]{1,64}</c>), and not only
    /// dots, which a URL would read as a dot segment (RFC 3986 §5.2.4).
    /// </summary>
    public static bool IsId(string? id) => id is not null && IsId(id.AsSpan());

    /// <summary>Whether <paramref name="operation"/> is an operation name with its <c>$</c>, e.g. <c>$everything</c>.</summary>
    public static bool IsOperation(string? operation) => operation is not null && IsOperation(operation.AsSpan());

    private static bool IsId(ReadOnlySpan<char> id) => IdPattern().IsMatch(id) && id.Trim('.').Length > 0;

    private static bool IsOperation(ReadOnlySpan<char> operation) => operation.StartsWith('$') && OperationPattern().IsMatch(operation);

    /// <summary>
    /// Whether a path relative to a FHIR base has one of the shapes of the RESTful API, so a link to it can be
    /// served by the gateway's own routes: <c>""</c>, <c>metadata</c>, <c>_history</c>, <c>$op</c>, <c>T</c>,
    /// <c>T/_search</c>, <c>T/_history</c>, <c>T/$op</c>, <c>T/id</c>, <c>T/id/_history</c>, <c>T/id/_history/vid</c>, <c>T/id/$op</c>.
    /// </summary>
    public static bool IsRestPath(ReadOnlySpan<char> relativePath)
    {
        if (relativePath.Length == 0)
        {
            return true;
        }

        // Up to four segments, read in place; a fifth means no REST shape.
        Span<System.Range> parts = stackalloc System.Range[5];
        var path = relativePath;
        var count = path.Split(parts, '/');
        if (count == 5)
        {
            return false;
        }

        var first = path[parts[0]];
        var second = count > 1 ? path[parts[1]] : default;
        var third = count > 2 ? path[parts[2]] : default;
        return count switch
        {
            1 => first is "metadata" or "_history" || IsOperation(first) || ResourceTypesBySpan.Contains(first),
            2 => ResourceTypesBySpan.Contains(first) && (second is "_search" or "_history" || IsOperation(second) || IsId(second)),
            3 => ResourceTypesBySpan.Contains(first) && IsId(second) && (third is "_history" || IsOperation(third)),
            _ => ResourceTypesBySpan.Contains(first) && IsId(second) && third is "_history" && IsId(path[parts[3]]),
        };
    }

    [GeneratedRegex(@"^[A-Za-z0-9\-\.]{1,64}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^\$[A-Za-z][A-Za-z0-9\-_]{0,63}$")]
    private static partial Regex OperationPattern();
}
