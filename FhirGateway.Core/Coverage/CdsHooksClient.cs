using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;

namespace FhirGateway.Core.Coverage;

/// <summary>
/// Talks CDS Hooks 2.0 to a payer's CRD service: discovery (cached for a few minutes, per URL) and service calls.
/// Nothing is retried: an unreachable service is a 502, a slow one a 504, an error answer a 502 quoting the payer.
/// </summary>
internal sealed class CdsHooksClient(IHttpClientFactory httpClients, IMemoryCache cache, ILogger<CdsHooksClient> logger)
{
    private static readonly TimeSpan DiscoveryLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <summary>The service of <paramref name="discovery"/> that serves <paramref name="hook"/>.</summary>
    public async Task<CdsService> ServiceAsync(string platformId, Uri discovery, string hook, CancellationToken cancellationToken)
    {
        var services = await cache.GetOrCreateAsync(("cds-discovery", discovery.AbsoluteUri), async entry =>
        {
            var list = await DiscoverAsync(platformId, discovery, cancellationToken);
            entry.AbsoluteExpirationRelativeToNow = DiscoveryLifetime;
            return list;
        }) ?? [];
        return services.FirstOrDefault(s => s.Hook == hook)
            ?? throw new CoverageRequestException(
                $"The payer's CDS Hooks service of platform '{platformId}' offers no {hook} service (it offers: {(services.Count == 0 ? "none" : string.Join(", ", services.Select(s => s.Hook).Distinct()))}).");
    }

    /// <summary>Calls a service with a hook request and returns its answer (cards and systemActions).</summary>
    public async Task<JsonObject> CallAsync(string platformId, CdsService service, JsonObject request, CancellationToken cancellationToken)
    {
        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
        var answer = await SendAsync(platformId, HttpMethod.Post, service.Url, content, $"its {service.Id} service", cancellationToken);
        return answer;
    }

    private async Task<IReadOnlyList<CdsService>> DiscoverAsync(string platformId, Uri discovery, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(platformId, HttpMethod.Get, discovery, null, "its discovery endpoint", cancellationToken);
        var services = new List<CdsService>();
        foreach (var service in Json.Objects(answer, "services"))
        {
            if (Json.Text(service, "id") is not { Length: > 0 } id || Json.Text(service, "hook") is not { Length: > 0 } hook)
            {
                continue;
            }

            var prefetch = (Json.Object(service, "prefetch") ?? [])
                .Where(p => Json.Scalar(p.Value) is not null)
                .ToDictionary(p => p.Key, p => Json.Scalar(p.Value)!, StringComparer.Ordinal);
            services.Add(new CdsService(id, hook, new Uri($"{discovery.AbsoluteUri.TrimEnd('/')}/{Uri.EscapeDataString(id)}"), prefetch));
        }

        return services;
    }

    private async Task<JsonObject> SendAsync(string platformId, HttpMethod method, Uri url, HttpContent? content, string what, CancellationToken cancellationToken)
    {
        var client = httpClients.CreateClient(CoverageHttpClients.CdsHooks);
        using var message = new HttpRequestMessage(method, url) { Content = content };
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.SendAsync(message, deadline.Token);
            var body = await response.Content.ReadAsStringAsync(deadline.Token);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            CoverageLog.CdsCall(logger, platformId, method.Method, url.AbsolutePath, (int)response.StatusCode, elapsed);
            JsonObject? json = null;
            try
            {
                json = JsonNode.Parse(body) as JsonObject;
            }
            catch (JsonException)
            {
                // Reported below.
            }

            if (!response.IsSuccessStatusCode)
            {
                var said = Json.OutcomeText(json) ?? Json.Text(json, "error") ?? "no details given.";
                throw new PayerException(HttpStatusCode.BadGateway,
                    $"The payer's CDS Hooks service (platform '{platformId}', {what}) answered {(int)response.StatusCode}: {said}");
            }

            return json ?? throw new PayerException(HttpStatusCode.BadGateway,
                $"The payer's CDS Hooks service (platform '{platformId}', {what}) answered with something that is not a JSON object.");
        }
        catch (OperationCanceledException timeout) when (!cancellationToken.IsCancellationRequested)
        {
            CoverageLog.CdsTimedOut(logger, platformId, url.AbsolutePath);
            throw new PayerException(HttpStatusCode.GatewayTimeout,
                $"The payer's CDS Hooks service (platform '{platformId}', {what}) did not answer within {Timeout.TotalSeconds} s; no coverage answer was given.", timeout);
        }
        catch (HttpRequestException failed)
        {
            CoverageLog.CdsFailed(logger, platformId, url.AbsolutePath, failed.HttpRequestError);
            throw new PayerException(HttpStatusCode.BadGateway,
                $"The payer's CDS Hooks service (platform '{platformId}', {what}) could not be reached; no coverage answer was given.", failed);
        }
    }
}
