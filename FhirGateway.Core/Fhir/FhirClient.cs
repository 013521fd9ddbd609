using System.Net;
using FhirGateway.Core.Audit;
using FhirGateway.Core.Errors;
using FhirGateway.Core.Platforms;
using FhirGateway.Core.Tokens;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// The FHIR upstream client: resolves the platform, validates the request, serves <c>metadata</c> from the
/// cache, sends through <see cref="UpstreamSender"/>, relays the answer, and writes one audit event per call.
/// </summary>
internal sealed class FhirClient(
    IPlatformRegistry platforms, UpstreamSender sender, CapabilityCache capabilities, IOptions<FhirClientOptions> options,
    TimeProvider time, GatewayAudit audit) : IFhirClient
{
    private readonly PlatformUpstreams _upstreams = new();

    public async Task<FhirResponse> SendAsync(OwnerKey? owner, FhirRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = time.GetTimestamp();
        var platformId = request.PlatformId;
        var status = StatusCodes500;
        try
        {
            var platform = platforms.Find(request.PlatformId) ?? throw new PlatformNotFoundException(request.PlatformId);
            platformId = platform.Id;
            var response = await SendAsync(owner, platform, request, cancellationToken);
            status = response.StatusCode;
            return response;
        }
        catch (GatewayException failure)
        {
            status = (int)failure.Status;
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            status = 499; // client closed the request
            throw;
        }
        finally
        {
            audit.FhirCall(owner, platformId, request, status, time.GetElapsedTime(started));
        }
    }

    private const int StatusCodes500 = 500;

    private async Task<FhirResponse> SendAsync(OwnerKey? owner, Platform platform, FhirRequest request, CancellationToken cancellationToken)
    {
        var baseUrl = PlatformUpstreams.BaseUrl(platform);
        var upstream = _upstreams.Base(baseUrl);
        var url = FhirRequestValidator.Validate(request, platform.Definition, upstream, options.Value.MaxCount);
        var links = request.LinkBase is { } linkBase ? _upstreams.Links(baseUrl, linkBase, platform.Id) : null;

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
