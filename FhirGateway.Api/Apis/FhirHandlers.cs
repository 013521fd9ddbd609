using System.Text.Json;
using FhirGateway.Core.Errors;
using FhirGateway.Core.Fhir;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FhirGateway.Api.Apis;

/// <summary>
/// The FHIR route handlers: each names its interaction; <see cref="FhirForwarder"/> does the rest (reads, vreads and
/// deletes straight through the forwarder, the rest through the FHIR client, which rewrites Bundles and checks bodies).
/// </summary>
internal static class FhirHandlers
{
    private static readonly JsonSerializerOptions SummaryJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static async Task<Results<FhirUpstreamResult, JsonHttpResult<CapabilitySummary>>> Capabilities(
        [FromRoute(Name = "platform_id")] string platformId, bool? summary, HttpContext context)
    {
        // The statement is cached per platform, whatever the query; only the gateway's own summary=true is read.
        var result = await FhirForwarder.ForwardAsync(context, Request(platformId, FhirInteraction.Capabilities, HttpMethod.Get) with { Query = "" });
        if (summary != true || result.StatusCode != StatusCodes.Status200OK)
        {
            return result;
        }

        await using var response = result.Response;
        using var buffer = new MemoryStream();
        await response.Body.CopyToAsync(buffer, context.RequestAborted);
        var compact = CapabilitySummary.From(buffer.ToArray())
            ?? throw new UpstreamException(System.Net.HttpStatusCode.BadGateway, $"Platform '{platformId}' did not answer metadata with a CapabilityStatement.");
        return TypedResults.Json(compact, SummaryJson);
    }

    public static Task<FhirUpstreamResult> SystemSearch([FromRoute(Name = "platform_id")] string platformId, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.Search, HttpMethod.Get);

    public static Task<FhirUpstreamResult> Batch([FromRoute(Name = "platform_id")] string platformId, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.Batch, HttpMethod.Post);

    public static Task<FhirUpstreamResult> SystemHistory([FromRoute(Name = "platform_id")] string platformId, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.History, HttpMethod.Get);

    public static Task<FhirUpstreamResult> Page([FromRoute(Name = "platform_id")] string platformId, string? url, HttpContext context) =>
        FhirForwarder.ForwardAsync(context, Request(platformId, FhirInteraction.Page, HttpMethod.Get) with { PageUrl = url, Query = "" });

    public static Task<FhirUpstreamResult> SystemOperation([FromRoute(Name = "platform_id")] string platformId, string operation, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.Operation, Method(context), operation: operation);

    public static Task<FhirUpstreamResult> Search([FromRoute(Name = "platform_id")] string platformId, string type, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.Search, HttpMethod.Get, type);

    public static Task<FhirUpstreamResult> SearchPost([FromRoute(Name = "platform_id")] string platformId, string type, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.Search, HttpMethod.Post, type);

    public static Task<FhirUpstreamResult> Create([FromRoute(Name = "platform_id")] string platformId, string type, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.Create, HttpMethod.Post, type);

    public static Task<FhirUpstreamResult> ConditionalUpdate([FromRoute(Name = "platform_id")] string platformId, string type, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.Update, HttpMethod.Put, type);

    public static Task<FhirUpstreamResult> ConditionalPatch([FromRoute(Name = "platform_id")] string platformId, string type, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.Patch, HttpMethod.Patch, type);

    public static Task ConditionalDelete([FromRoute(Name = "platform_id")] string platformId, string type, HttpContext context) =>
        Proxy(context, platformId, FhirInteraction.Delete, HttpMethod.Delete, type);

    public static Task<FhirUpstreamResult> TypeHistory([FromRoute(Name = "platform_id")] string platformId, string type, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.History, HttpMethod.Get, type);

    public static Task<FhirUpstreamResult> TypeOperation([FromRoute(Name = "platform_id")] string platformId, string type, string operation, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.Operation, Method(context), type, operation: operation);

    public static Task Read([FromRoute(Name = "platform_id")] string platformId, string type, string id, HttpContext context) =>
        Proxy(context, platformId, FhirInteraction.Read, HttpMethod.Get, type, id);

    public static Task<FhirUpstreamResult> Update([FromRoute(Name = "platform_id")] string platformId, string type, string id, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.Update, HttpMethod.Put, type, id);

    public static Task<FhirUpstreamResult> Patch([FromRoute(Name = "platform_id")] string platformId, string type, string id, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.Patch, HttpMethod.Patch, type, id);

    public static Task Delete([FromRoute(Name = "platform_id")] string platformId, string type, string id, HttpContext context) =>
        Proxy(context, platformId, FhirInteraction.Delete, HttpMethod.Delete, type, id);

    public static Task<FhirUpstreamResult> InstanceHistory([FromRoute(Name = "platform_id")] string platformId, string type, string id, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.History, HttpMethod.Get, type, id);

    public static Task VRead([FromRoute(Name = "platform_id")] string platformId, string type, string id, string vid, HttpContext context) =>
        Proxy(context, platformId, FhirInteraction.VRead, HttpMethod.Get, type, id, vid);

    public static Task<FhirUpstreamResult> InstanceOperation([FromRoute(Name = "platform_id")] string platformId, string type, string id, string operation, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.Operation, Method(context), type, id, operation);

    /// <summary>No FHIR route matched: an unknown platform (404), an unknown type (404), or a known route with another method (405).</summary>
    public static IResult NoRoute([FromRoute(Name = "platform_id")] string platformId, string? rest, HttpContext context) =>
        throw FhirRouteErrors.For(context, platformId, rest ?? "");

    private static Task<FhirUpstreamResult> Forward(
        HttpContext context, string platformId, FhirInteraction interaction, HttpMethod method, string? type = null, string? id = null, string? operation = null) =>
        FhirForwarder.ForwardAsync(context, Request(platformId, interaction, method) with { ResourceType = type, Id = id, Operation = operation });

    /// <summary>A read, vread or delete, built in one piece (no copy) for <see cref="FhirForwarder.ProxyAsync"/>.</summary>
    private static Task Proxy(
        HttpContext context, string platformId, FhirInteraction interaction, HttpMethod method, string type, string? id = null, string? versionId = null) =>
        FhirForwarder.ProxyAsync(context, new() { PlatformId = platformId, Interaction = interaction, Method = method, ResourceType = type, Id = id, VersionId = versionId });

    private static FhirRequest Request(string platformId, FhirInteraction interaction, HttpMethod method) =>
        new() { PlatformId = platformId, Interaction = interaction, Method = method };

    private static HttpMethod Method(HttpContext context) => HttpMethod.Parse(context.Request.Method);
}
