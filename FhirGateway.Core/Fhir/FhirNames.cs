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

    /// <summary>Whether <paramref name="type"/> is a concrete FHIR R4 resource type (Firely <c>ModelInfo</c>).</summary>
    public static bool IsResourceType(string? type) =>
        type is { Length: > 0 } && char.IsAsciiLetterUpper(type[0]) && type is not ("Resource" or "DomainResource") && ModelInfo.IsKnownResource(type);

    /// <summary>
    /// Whether <paramref name="id"/> is a FHIR id (R4 datatypes.html#id: <c>[A-Za-z0-9\-\.]{1,64}</c>), and not only
    /// dots, which a URL would read as a dot segment (RFC 3986 §5.2.4).
    /// </summary>
    public static bool IsId(string? id) => id is not null && IdPattern().IsMatch(id) && id.Trim('.').Length > 0;

    /// <summary>Whether <paramref name="operation"/> is an operation name with its <c>$</c>, e.g. <c>$everything</c>.</summary>
    public static bool IsOperation(string? operation) => operation is not null && OperationPattern().IsMatch(operation);

    /// <summary>
    /// Whether a path relative to a FHIR base has one of the shapes of the RESTful API, so a link to it can be
    /// served by the gateway's own routes: <c>""</c>, <c>metadata</c>, <c>_history</c>, <c>$op</c>, <c>T</c>,
    /// <c>T/_search</c>, <c>T/_history</c>, <c>T/$op</c>, <c>T/id</c>, <c>T/id/_history</c>, <c>T/id/_history/vid</c>, <c>T/id/$op</c>.
    /// </summary>
    public static bool IsRestPath(string relativePath)
    {
        if (relativePath.Length == 0)
        {
            return true;
        }

        var s = relativePath.Split('/');
        return s.Length switch
        {
            1 => s[0] is "metadata" or "_history" || IsOperation(s[0]) || IsResourceType(s[0]),
            2 => IsResourceType(s[0]) && (s[1] is "_search" or "_history" || IsOperation(s[1]) || IsId(s[1])),
            3 => IsResourceType(s[0]) && IsId(s[1]) && (s[2] == "_history" || IsOperation(s[2])),
            4 => IsResourceType(s[0]) && IsId(s[1]) && s[2] == "_history" && IsId(s[3]),
            _ => false,
        };
    }

    [GeneratedRegex(@"^[A-Za-z0-9\-\.]{1,64}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^\$[A-Za-z][A-Za-z0-9\-_]{0,63}$")]
    private static partial Regex OperationPattern();
}
