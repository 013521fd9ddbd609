using System.Net;
using FhirGateway.Core.Platforms;
using FhirGateway.Core.Tokens;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// The FHIR upstream client: resolves the platform, validates the request, serves <c>metadata</c> from the
/// cache, sends through <see cref="UpstreamSender"/>, relays the answer, and writes one audit event per call.
/// </summary>
internal sealed class FhirClient(
    AuditedFhirCalls calls, PlatformUpstreams upstreams, UpstreamSender sender, CapabilityCache capabilities, IOptions<FhirClientOptions> options)
    : IFhirClient
{

    public async Task<FhirResponse> SendAsync(OwnerKey? owner, FhirRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = calls.Begin(owner, request);
        try
        {
            var platform = call.Resolve();
            var response = await SendAsync(owner, platform, request, cancellationToken);
            call.Succeeded(response.StatusCode);
            return response;
        }
        catch (Exception e)
        {
            call.Failed(e, cancellationToken);
            throw;
        }
        finally
        {
            call.End();
        }
    }

    private async Task<FhirResponse> SendAsync(OwnerKey? owner, Platform platform, FhirRequest request, CancellationToken cancellationToken)
    {
        var baseUrl = PlatformUpstreams.BaseUrl(platform);
        var upstream = upstreams.Base(baseUrl);
        var url = FhirRequestValidator.Validate(request, platform.Definition, upstream, options.Value.MaxCount);
        var links = request.LinkBase is { } linkBase ? upstreams.Links(baseUrl, linkBase, platform.Id) : null;

        if (request.Interaction == FhirInteraction.Capabilities && capabilities.TryGet(platform.Id, out var cached))
        {
            return FhirResponse.FromBytes(200, UpstreamResponses.FhirJson, [], cached);
        }

        var answer = await sender.SendAsync(owner, platform, request, url, cancellationToken);
        if (request.Interaction == FhirInteraction.Capabilities && answer.StatusCode == HttpStatusCode.OK)
        {
            using (answer)
            {
                using var read = await UpstreamResponses.ReadBoundedAsync(answer, platform.Id, options.Value, cancellationToken);
                var statement = read.Span.ToArray(); // kept in the cache, so not the pooled buffer
                capabilities.Set(platform.Id, statement);
                return FhirResponse.FromBytes(200, UpstreamResponses.FhirJson, [], statement);
            }
        }

        return await UpstreamResponses.RelayAsync(answer, request, platform.Id, links, options.Value, cancellationToken);
    }
}
