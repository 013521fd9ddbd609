using FhirGateway.Core.Fhir;

namespace FhirGateway.Api.Apis;

/// <summary>
/// The FHIR REST API, one platform per route group: <c>/api/fhir/{platform_id}/...</c> forwards every R4
/// interaction to that platform with the session's access token (see <see cref="FhirHandlers"/>).
/// </summary>
internal static class FhirApi
{
    /// <summary>Core's FHIR client and proxy, and the forwarder the routes share.</summary>
    public static IServiceCollection AddFhirApi(this IServiceCollection services) =>
        services.AddFhirProxy().AddSingleton<FhirForwarder>();

    public static IEndpointRouteBuilder MapFhirApi(this IEndpointRouteBuilder app)
    {
        var fhir = app.MapGroup(FhirRoutes.Group).WithTags("FHIR");
        var handlers = new FhirHandlers(app.ServiceProvider);

        Map(fhir, "GET", FhirRoutes.Metadata, handlers.Capabilities, "FhirCapabilities", "The platform's CapabilityStatement (cached); summary=true for a compact summary.");
        Map(fhir, "GET", FhirRoutes.System, handlers.SystemSearch, "FhirSystemSearch", "Search across all types, where the platform offers it.");
        Map(fhir, "POST", FhirRoutes.System, handlers.Batch, "FhirBatch", "A batch or transaction Bundle.");
        Map(fhir, "GET", FhirRoutes.SystemHistory, handlers.SystemHistory, "FhirSystemHistory", "History of all resources.");
        Map(fhir, "GET", FhirRoutes.Page, handlers.Page, "FhirPage", "Follow a paging or bulk-status URL of the platform (checked to be inside its base).");
        Map(fhir, "GET", FhirRoutes.SystemOperation, handlers.SystemOperation, "FhirSystemOperationGet", "A system-level operation (allowlisted).");
        Map(fhir, "POST", FhirRoutes.SystemOperation, handlers.SystemOperation, "FhirSystemOperationPost", "A system-level operation with Parameters (allowlisted).");

        Map(fhir, "GET", FhirRoutes.Type, handlers.Search, "FhirSearch", "Search a resource type; every parameter passed through in order.");
        Map(fhir, "POST", FhirRoutes.Type, handlers.Create, "FhirCreate", "Create a resource (If-None-Exist passed through).");
        Map(fhir, "PUT", FhirRoutes.Type, handlers.ConditionalUpdate, "FhirConditionalUpdate", "Conditional update by search criteria.");
        Map(fhir, "PATCH", FhirRoutes.Type, handlers.ConditionalPatch, "FhirConditionalPatch", "Conditional patch by search criteria.");
        Map(fhir, "DELETE", FhirRoutes.Type, handlers.ConditionalDelete, "FhirConditionalDelete", "Conditional delete by search criteria.");
        Map(fhir, "POST", FhirRoutes.TypeSearch, handlers.SearchPost, "FhirSearchPost", "Search with a form body.");
        Map(fhir, "GET", FhirRoutes.TypeHistory, handlers.TypeHistory, "FhirTypeHistory", "History of a resource type.");
        Map(fhir, "GET", FhirRoutes.TypeOperation, handlers.TypeOperation, "FhirTypeOperationGet", "A type-level operation (allowlisted).");
        Map(fhir, "POST", FhirRoutes.TypeOperation, handlers.TypeOperation, "FhirTypeOperationPost", "A type-level operation with Parameters (allowlisted).");

        Map(fhir, "GET", FhirRoutes.Instance, handlers.Read, "FhirRead", "Read a resource (If-None-Match passed through).");
        Map(fhir, "PUT", FhirRoutes.Instance, handlers.Update, "FhirUpdate", "Update a resource (If-Match passed through).");
        Map(fhir, "PATCH", FhirRoutes.Instance, handlers.Patch, "FhirPatch", "JSON Patch or FHIRPath Patch (Parameters).");
        Map(fhir, "DELETE", FhirRoutes.Instance, handlers.Delete, "FhirDelete", "Delete a resource.");
        Map(fhir, "GET", FhirRoutes.InstanceHistory, handlers.InstanceHistory, "FhirInstanceHistory", "History of a resource.");
        Map(fhir, "GET", FhirRoutes.InstanceVersion, handlers.VRead, "FhirVRead", "Read one version of a resource.");
        Map(fhir, "GET", FhirRoutes.InstanceOperation, handlers.InstanceOperation, "FhirInstanceOperationGet", "An instance-level operation (allowlisted).");
        Map(fhir, "POST", FhirRoutes.InstanceOperation, handlers.InstanceOperation, "FhirInstanceOperationPost", "An instance-level operation with Parameters (allowlisted).");

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
