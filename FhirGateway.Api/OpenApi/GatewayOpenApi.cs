using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace FhirGateway.Api.OpenApi;

/// <summary>
/// The REST API's OpenAPI document at <c>/openapi/v1.json</c> (Microsoft.AspNetCore.OpenApi), with FHIR content
/// types and examples on the FHIR routes, and its interactive reference at <c>/scalar</c> (Scalar.AspNetCore,
/// whose script is served by the gateway itself: no CDN).
/// </summary>
internal static class GatewayOpenApi
{
    public const string DocumentName = "v1";

    /// <summary>Where the interactive reference is.</summary>
    public const string ReferencePath = "/scalar";

    public static IServiceCollection AddGatewayOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "FHIR Gateway REST API",
                    Version = DocumentName,
                    Description = "One REST API over many FHIR platforms. Authorize a platform once in the browser " +
                        "(`/auth/{platform_id}/login`), then call `/api/fhir/{platform_id}/...` as a FHIR R4 server. " +
                        "Errors are FHIR OperationOutcomes (`application/fhir+json`) whose id is the trace id. " +
                        "Callers are identified by the `fhirgw_session` cookie or the `X-FHIR-Gateway-Key` header.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer<FhirOperationTransformer>();
        });

    public static WebApplication MapGatewayOpenApi(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference(ReferencePath, options => options
            .WithTitle("FHIR Gateway REST API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .SortTagsAlphabetically()
            .WithNonce()
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp()
            .HideDeveloperTools())
            .AddEndpointFilter(ScalarPolicy.ApplyAsync);
        return app;
    }
}
