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
internal sealed class FhirHandlers(IServiceProvider services)
{
    private FhirForwarder? _forwarder;

    /// <summary>Taken from the root services on first use (not at mapping, before the options are validated).</summary>
    private FhirForwarder Forwarder => _forwarder ??= services.GetRequiredService<FhirForwarder>();

    private static readonly JsonSerializerOptions SummaryJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public async Task<Results<FhirUpstreamResult, JsonHttpResult<CapabilitySummary>>> Capabilities(
        [FromRoute(Name = "platform_id")] string platformId, bool? summary, HttpContext context)
    {
        // The statement is cached per platform, whatever the query; only the gateway's own summary=true is read.
        var result = await Forwarder.ForwardAsync(context, platformId, FhirInteraction.Capabilities, HttpMethod.Get);
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

    public Task<FhirUpstreamResult> SystemSearch([FromRoute(Name = "platform_id")] string platformId, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.Search, HttpMethod.Get);

    public Task<FhirUpstreamResult> Batch([FromRoute(Name = "platform_id")] string platformId, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.Batch, HttpMethod.Post);

    public Task<FhirUpstreamResult> SystemHistory([FromRoute(Name = "platform_id")] string platformId, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.History, HttpMethod.Get);

    public Task<FhirUpstreamResult> Page([FromRoute(Name = "platform_id")] string platformId, string? url, HttpContext context) =>
        Forwarder.ForwardAsync(context, platformId, FhirInteraction.Page, HttpMethod.Get, pageUrl: url);

    public Task<FhirUpstreamResult> SystemOperation([FromRoute(Name = "platform_id")] string platformId, string operation, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.Operation, Method(context), operation: operation);

    public Task<FhirUpstreamResult> Search([FromRoute(Name = "platform_id")] string platformId, string type, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.Search, HttpMethod.Get, type);

    public Task<FhirUpstreamResult> SearchPost([FromRoute(Name = "platform_id")] string platformId, string type, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.Search, HttpMethod.Post, type);

    public Task<FhirUpstreamResult> Create([FromRoute(Name = "platform_id")] string platformId, string type, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.Create, HttpMethod.Post, type);

    public Task<FhirUpstreamResult> ConditionalUpdate([FromRoute(Name = "platform_id")] string platformId, string type, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.Update, HttpMethod.Put, type);

    public Task<FhirUpstreamResult> ConditionalPatch([FromRoute(Name = "platform_id")] string platformId, string type, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.Patch, HttpMethod.Patch, type);

    public Task ConditionalDelete([FromRoute(Name = "platform_id")] string platformId, string type, HttpContext context) =>
        Proxy(context, platformId, FhirInteraction.Delete, HttpMethod.Delete, type);

    public Task<FhirUpstreamResult> TypeHistory([FromRoute(Name = "platform_id")] string platformId, string type, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.History, HttpMethod.Get, type);

    public Task<FhirUpstreamResult> TypeOperation([FromRoute(Name = "platform_id")] string platformId, string type, string operation, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.Operation, Method(context), type, operation: operation);

    public Task Read([FromRoute(Name = "platform_id")] string platformId, string type, string id, HttpContext context) =>
        Proxy(context, platformId, FhirInteraction.Read, HttpMethod.Get, type, id);

    public Task<FhirUpstreamResult> Update([FromRoute(Name = "platform_id")] string platformId, string type, string id, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.Update, HttpMethod.Put, type, id);

    public Task<FhirUpstreamResult> Patch([FromRoute(Name = "platform_id")] string platformId, string type, string id, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.Patch, HttpMethod.Patch, type, id);

    public Task Delete([FromRoute(Name = "platform_id")] string platformId, string type, string id, HttpContext context) =>
        Proxy(context, platformId, FhirInteraction.Delete, HttpMethod.Delete, type, id);

    public Task<FhirUpstreamResult> InstanceHistory([FromRoute(Name = "platform_id")] string platformId, string type, string id, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.History, HttpMethod.Get, type, id);

    public Task VRead([FromRoute(Name = "platform_id")] string platformId, string type, string id, string vid, HttpContext context) =>
        Proxy(context, platformId, FhirInteraction.VRead, HttpMethod.Get, type, id, vid);

    public Task<FhirUpstreamResult> InstanceOperation([FromRoute(Name = "platform_id")] string platformId, string type, string id, string operation, HttpContext context) =>
        Forward(context, platformId, FhirInteraction.Operation, Method(context), type, id, operation);

    /// <summary>No FHIR route matched: an unknown platform (404), an unknown type (404), or a known route with another method (405).</summary>
    public static IResult NoRoute([FromRoute(Name = "platform_id")] string platformId, string? rest, HttpContext context) =>
        throw FhirRouteErrors.For(context, platformId, rest ?? "");

    private Task<FhirUpstreamResult> Forward(
        HttpContext context, string platformId, FhirInteraction interaction, HttpMethod method, string? type = null, string? id = null, string? operation = null) =>
        Forwarder.ForwardAsync(context, platformId, interaction, method, type, id, operation);

    /// <summary>A read, vread or delete (<see cref="FhirForwarder.ProxyAsync"/>).</summary>
    private Task Proxy(
        HttpContext context, string platformId, FhirInteraction interaction, HttpMethod method, string type, string? id = null, string? versionId = null) =>
        Forwarder.ProxyAsync(context, platformId, interaction, method, type, id, versionId);

    private static HttpMethod Method(HttpContext context) => HttpMethod.Parse(context.Request.Method);
}
