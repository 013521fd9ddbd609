using FhirGateway.Core.Fhir;

namespace FhirGateway.Api.Apis;

/// <summary>
/// The FHIR REST API, one platform per route group: <c>/api/fhir/{platform_id}/...</c> forwards every R4
/// interaction to that platform with the session's access token (see <see cref="FhirHandlers"/>).
/// </summary>
internal static class FhirApi
{
    public static IEndpointRouteBuilder MapFhirApi(this IEndpointRouteBuilder app)
    {
        var fhir = app.MapGroup(FhirRoutes.Group).WithTags("FHIR");

        Map(fhir, "GET", FhirRoutes.Metadata, FhirHandlers.Capabilities, "FhirCapabilities", "The platform's CapabilityStatement (cached); summary=true for a compact summary.");
        Map(fhir, "GET", FhirRoutes.System, FhirHandlers.SystemSearch, "FhirSystemSearch", "Search across all types, where the platform offers it.");
        Map(fhir, "POST", FhirRoutes.System, FhirHandlers.Batch, "FhirBatch", "A batch or transaction Bundle.");
        Map(fhir, "GET", FhirRoutes.SystemHistory, FhirHandlers.SystemHistory, "FhirSystemHistory", "History of all resources.");
        Map(fhir, "GET", FhirRoutes.Page, FhirHandlers.Page, "FhirPage", "Follow a paging or bulk-status URL of the platform (checked to be inside its base).");
        Map(fhir, "GET", FhirRoutes.SystemOperation, FhirHandlers.SystemOperation, "FhirSystemOperationGet", "A system-level operation (allowlisted).");
        Map(fhir, "POST", FhirRoutes.SystemOperation, FhirHandlers.SystemOperation, "FhirSystemOperationPost", "A system-level operation with Parameters (allowlisted).");

        Map(fhir, "GET", FhirRoutes.Type, FhirHandlers.Search, "FhirSearch", "Search a resource type; every parameter passed through in order.");
        Map(fhir, "POST", FhirRoutes.Type, FhirHandlers.Create, "FhirCreate", "Create a resource (If-None-Exist passed through).");
        Map(fhir, "PUT", FhirRoutes.Type, FhirHandlers.ConditionalUpdate, "FhirConditionalUpdate", "Conditional update by search criteria.");
        Map(fhir, "PATCH", FhirRoutes.Type, FhirHandlers.ConditionalPatch, "FhirConditionalPatch", "Conditional patch by search criteria.");
        Map(fhir, "DELETE", FhirRoutes.Type, FhirHandlers.ConditionalDelete, "FhirConditionalDelete", "Conditional delete by search criteria.");
        Map(fhir, "POST", FhirRoutes.TypeSearch, FhirHandlers.SearchPost, "FhirSearchPost", "Search with a form body.");
        Map(fhir, "GET", FhirRoutes.TypeHistory, FhirHandlers.TypeHistory, "FhirTypeHistory", "History of a resource type.");
        Map(fhir, "GET", FhirRoutes.TypeOperation, FhirHandlers.TypeOperation, "FhirTypeOperationGet", "A type-level operation (allowlisted).");
        Map(fhir, "POST", FhirRoutes.TypeOperation, FhirHandlers.TypeOperation, "FhirTypeOperationPost", "A type-level operation with Parameters (allowlisted).");

        Map(fhir, "GET", FhirRoutes.Instance, FhirHandlers.Read, "FhirRead", "Read a resource (If-None-Match passed through).");
        Map(fhir, "PUT", FhirRoutes.Instance, FhirHandlers.Update, "FhirUpdate", "Update a resource (If-Match passed through).");
        Map(fhir, "PATCH", FhirRoutes.Instance, FhirHandlers.Patch, "FhirPatch", "JSON Patch or FHIRPath Patch (Parameters).");
        Map(fhir, "DELETE", FhirRoutes.Instance, FhirHandlers.Delete, "FhirDelete", "Delete a resource.");
        Map(fhir, "GET", FhirRoutes.InstanceHistory, FhirHandlers.InstanceHistory, "FhirInstanceHistory", "History of a resource.");
        Map(fhir, "GET", FhirRoutes.InstanceVersion, FhirHandlers.VRead, "FhirVRead", "Read one version of a resource.");
        Map(fhir, "GET", FhirRoutes.InstanceOperation, FhirHandlers.InstanceOperation, "FhirInstanceOperationGet", "An instance-level operation (allowlisted).");
        Map(fhir, "POST", FhirRoutes.InstanceOperation, FhirHandlers.InstanceOperation, "FhirInstanceOperationPost", "An instance-level operation with Parameters (allowlisted).");

        // Lowest precedence: whatever no route above took gets a precise 404 (unknown type) or 405 (known route, other method).
        fhir.Map(FhirRoutes.Fallback, FhirHandlers.NoRoute).WithName("FhirNoRoute").ExcludeFromDescription();
        return app;
    }

    private static void Map(RouteGroupBuilder group, string method, string template, Delegate handler, string name, string summary) =>
        group.Map(FhirRoutes.Pattern(template), handler)
            .WithMetadata(new HttpMethodMetadata([method]))
            .WithName(name)
            .WithSummary(summary);
}
