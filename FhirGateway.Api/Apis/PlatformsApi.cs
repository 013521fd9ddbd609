using FhirGateway.Core.Platforms;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FhirGateway.Api.Apis;

/// <summary>The platform registry over REST: which FHIR platforms the gateway can connect to.</summary>
internal static class PlatformsApi
{
    public static IEndpointRouteBuilder MapPlatformsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/platforms").WithTags("Platforms");

        api.MapGet("/", ListPlatforms)
            .WithName("ListPlatforms")
            .WithSummary("List platforms, filtered by type, by whether they are usable now (registered) and by text.");

        api.MapGet("/{id}", GetPlatform)
            .WithName("GetPlatform")
            .WithSummary("Get one platform by id or alias.");

        return app;
    }

    public static Results<Ok<PlatformList>, JsonHttpResult<OperationOutcome>> ListPlatforms(
        IPlatformRegistry registry, string? type, bool? registered, string? q)
    {
        PlatformType? platformType = null;
        if (!string.IsNullOrWhiteSpace(type))
        {
            if (!PlatformQueries.TryParseType(type, out var parsed))
            {
                return FhirResults.BadRequest($"Unknown platform type '{type}': use one of {string.Join(", ", PlatformQueries.TypeNames)}.");
            }

            platformType = parsed;
        }

        var platforms = registry.Search(platformType, registered, q).Select(PlatformSummary.From).ToList();
        return TypedResults.Ok(new PlatformList(platforms, platforms.Count));
    }

    public static Results<Ok<PlatformSummary>, JsonHttpResult<OperationOutcome>> GetPlatform(IPlatformRegistry registry, string id) =>
        registry.Find(id) is { } platform
            ? TypedResults.Ok(PlatformSummary.From(platform))
            : FhirResults.NotFound($"No platform with id or alias '{id}'.");
}
