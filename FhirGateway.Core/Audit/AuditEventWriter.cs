using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Audit;

/// <summary>
/// Writes queued audit events to the audit FHIR server in the background, up to <see cref="MaxBatch"/> per
/// transaction Bundle, with a few retries when the server is unreachable or answers "try again"; then the batch is
/// dropped, counted and logged. A user's request never waits for it and never fails because of it.
/// </summary>
internal sealed partial class AuditEventWriter(AuditEventQueue queue, IHttpClientFactory clients, IOptions<AuditEventOptions> options, ILogger<AuditEventWriter> logger)
    : BackgroundService
{
    /// <summary>The named HTTP client: no cookies, no redirects, no standard resilience handler (this writer retries).</summary>
    public const string HttpClientName = "fhir-audit";

    public const int MaxBatch = 100;

    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2)];
    private static readonly MediaTypeHeaderValue FhirJson = new("application/fhir+json");

    private readonly List<AuditRecord> _batch = new(MaxBatch);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var endpoint = options.Value.Endpoint!;
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await WriteBatchAsync(endpoint, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: one last batch of what is queued, briefly.
            using var last = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await WriteBatchAsync(endpoint, last.Token);
        }
    }

    private async Task WriteBatchAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        _batch.Clear();
        while (_batch.Count < MaxBatch && queue.Reader.TryRead(out var record))
        {
            _batch.Add(record);
        }

        if (_batch.Count == 0)
        {
            return;
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(AuditEventMapper.Transaction(_batch), AuditJsonContext.Default.JsonObject);
        string failure;
        for (var attempt = 0; ; attempt++)
        {
            failure = await PostAsync(endpoint, body, cancellationToken);
            if (failure.Length == 0)
            {
                return;
            }

            if (failure.StartsWith("refused", StringComparison.Ordinal) || attempt == RetryDelays.Length || cancellationToken.IsCancellationRequested)
            {
                break;
            }

            try
            {
                await Task.Delay(RetryDelays[attempt], cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        LogDropped(logger, _batch.Count, endpoint.GetLeftPart(UriPartial.Authority), failure, queue.Drop(_batch.Count));
    }

    /// <summary>Empty when written; else why not ("refused ..." when retrying cannot help).</summary>
    private async Task<string> PostAsync(Uri endpoint, byte[] body, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = FhirJson;
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = content };
            request.Headers.Accept.ParseAdd("application/fhir+json");
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? ""
                : response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || status >= 500 ? $"answered {status}"
                : $"refused with {status}";
        }
        catch (HttpRequestException e)
        {
            return $"unreachable ({e.HttpRequestError})";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "timed out";
        }
        catch (OperationCanceledException)
        {
            return "stopped";
        }
    }

    [LoggerMessage(EventId = 7010, Level = LogLevel.Warning,
        Message = "Could not write {Count} audit events to the audit FHIR server {Server}: {Failure}. {Dropped} dropped since start.")]
    private static partial void LogDropped(ILogger logger, int count, string server, string failure, long dropped);
}
