using FhirGateway.Core.Fhir;
using Microsoft.AspNetCore.Routing.Patterns;

namespace FhirGateway.Api.Apis;

/// <summary>
/// The FHIR REST routes under <c>/api/fhir/{platform_id}</c> (FHIR R4 http.html §3.1.0), with constraints on
/// <c>{type}</c> (an R4 resource type) and <c>{operation}</c> (<c>$name</c>), so that <c>Patient/$everything</c>
/// and <c>Patient/123</c> reach different handlers.
/// </summary>
internal static class FhirRoutes
{
    public const string Prefix = FhirNames.GatewayRoutePrefix;
    public const string Group = Prefix + "/{platform_id}";

    public const string System = "";
    public const string Metadata = "metadata";
    public const string SystemHistory = "_history";
    public const string Page = FhirNames.PageRoute;
    public const string SystemOperation = "{operation}";
    public const string Type = "{type}";
    public const string TypeSearch = "{type}/_search";
    public const string TypeHistory = "{type}/_history";
    public const string TypeOperation = "{type}/{operation}";
    public const string Instance = "{type}/{id}";
    public const string InstanceHistory = "{type}/{id}/_history";
    public const string InstanceVersion = "{type}/{id}/_history/{vid}";
    public const string InstanceOperation = "{type}/{id}/{operation}";
    public const string Fallback = "{**rest}";

    /// <summary>A route pattern with the constraints of the parameters it has.</summary>
    public static RoutePattern Pattern(string template)
    {
        var policies = new Dictionary<string, object>();
        if (template.Contains("{type}", StringComparison.Ordinal))
        {
            policies["type"] = ResourceTypeRouteConstraint.Instance;
        }

        if (template.Contains("{operation}", StringComparison.Ordinal))
        {
            policies["operation"] = OperationRouteConstraint.Instance;
        }

        return RoutePatternFactory.Parse(template, defaults: null, parameterPolicies: policies);
    }
}

/// <summary>Matches R4 resource types only (as microsoft/fhir-server's ResourceTypesRouteConstraint).</summary>
internal sealed class ResourceTypeRouteConstraint : IRouteConstraint
{
    public static readonly ResourceTypeRouteConstraint Instance = new();

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        values.TryGetValue(routeKey, out var value) && FhirNames.IsResourceType(value as string);
}

/// <summary>Matches operation names: <c>$</c> and a name.</summary>
internal sealed class OperationRouteConstraint : IRouteConstraint
{
    public static readonly OperationRouteConstraint Instance = new();

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        values.TryGetValue(routeKey, out var value) && FhirNames.IsOperation(value as string);
}
