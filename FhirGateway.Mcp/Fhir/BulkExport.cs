using System.Globalization;
using System.Text.Json;
using FhirGateway.Core.Auth;
using FhirGateway.Core.Fhir;
using FhirGateway.Core.Platforms;
using FhirGateway.Mcp.Tools;
using Microsoft.Extensions.Options;
using ModelContextProtocol;

namespace FhirGateway.Mcp.Fhir;

/// <summary>
/// A Bulk Data export for an agent (Bulk Data Access 2.0 export.html): the kick-off with
/// <c>Prefer: respond-async</c>, then the status URL polled as the platform asks (<c>Retry-After</c>, bounded,
/// never a busy loop), its <c>X-Progress</c> text sent as MCP progress, until the manifest or the timeout.
/// The status URL travels as a page token, so a wait that times out can be resumed without a new export.
/// </summary>
public sealed class BulkExport(McpFhir fhir, IOptions<SmartAuthOptions> auth, TimeProvider time)
{
    /// <summary>The wait when the agent gives none.</summary>
    public const double DefaultSeconds = 60;

    /// <summary>The longest wait in one call.</summary>
    public const double MaxSeconds = 300;

    private const int MaxProgressText = 200;

    // Retry-After is the platform's ask; these bounds keep a missing, zero or huge one from spinning or stalling.
    private static readonly TimeSpan MinDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>Starts the export; returns the job token (the status URL as a page token).</summary>
    public async Task<string> KickOffAsync(FhirRequest request, CancellationToken cancellationToken)
    {
        using var answer = await fhir.SendAsync(request with { Headers = [new("Prefer", "respond-async")] }, cancellationToken);
        if (answer.Status != 202)
        {
            throw new McpException($"Platform '{request.PlatformId}' answered {answer.Status.ToString(CultureInfo.InvariantCulture)} to $export instead of 202 Accepted: it does not run asynchronous bulk exports.");
        }

        return PageToken.From(answer.Header("Content-Location"), request.PlatformId)
            ?? throw new McpException($"Platform '{request.PlatformId}' accepted the export but gave no status URL inside its FHIR base.");
    }

    /// <summary>Polls the job until its manifest is ready (returned) or <paramref name="timeout"/> passes (null, with the last progress text).</summary>
    public async Task<(JsonElement? Manifest, string State)> WaitAsync(
        string job, Platform platform, TimeSpan timeout, ToolProgress progress, CancellationToken cancellationToken)
    {
        var request = PageToken.ToRequest(job, platform);
        var linkBase = auth.Value.PublicBase + FhirNames.GatewayRoutePrefix;
        var started = time.GetTimestamp();
        var fallback = MinDelay;
        // Progress counts the status checks (it must only grow, MCP progress); how far the export is, only the
        // platform's X-Progress text says, so there is no total.
        await progress.ReportAsync(new ProgressNotificationValue { Progress = 0, Message = $"Export at {platform.Id}: waiting for the platform" }, cancellationToken);
        for (var poll = 1; ; poll++)
        {
            using var answer = await fhir.SendAsync(request, linkBase, cancellationToken);
            var elapsed = time.GetElapsedTime(started);
            if (answer.Status == 200)
            {
                await progress.ReportAsync(new ProgressNotificationValue { Progress = poll, Message = $"Export at {platform.Id}: complete" }, cancellationToken);
                // A manifest is no FHIR resource (export.html "Response - Complete Status"); anything else means the
                // token was not an export's status URL (e.g. a search's next page).
                return answer.Body?.RootElement is { ValueKind: JsonValueKind.Object } manifest && !manifest.TryGetProperty("resourceType", out _)
                    && manifest.TryGetProperty("transactionTime", out _)
                    ? (manifest.Clone(), "complete")
                    : throw new McpException($"Platform '{platform.Id}' did not answer an export manifest: pass the job token bulk_export answered, unchanged.");
            }

            if (answer.Status != 202)
            {
                throw new McpException($"Platform '{platform.Id}' answered {answer.Status.ToString(CultureInfo.InvariantCulture)} to the export's status request.");
            }

            var state = Clean(answer.Header("X-Progress")) ?? "in progress";
            await progress.ReportAsync(new ProgressNotificationValue
            {
                Progress = poll,
                Message = $"Export at {platform.Id}: {state} (status check {poll.ToString(CultureInfo.InvariantCulture)}, {elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} of {timeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s)",
            }, cancellationToken);
            var left = timeout - elapsed;
            if (left <= TimeSpan.Zero)
            {
                return (null, state);
            }

            var delay = RetryAfter(answer.Header("Retry-After")) ?? fallback;
            fallback = fallback * 2 < MaxDelay ? fallback * 2 : MaxDelay;
            delay = delay < MinDelay ? MinDelay : delay > MaxDelay ? MaxDelay : delay;
            await Task.Delay(delay < left ? delay : left, time, cancellationToken);
        }
    }

    /// <summary>Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3); null when absent or unreadable.</summary>
    private TimeSpan? RetryAfter(string? value)
    {
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at - time.GetUtcNow() : null;
    }

    /// <summary>The platform's progress text, kept short and printable: it goes to the agent verbatim.</summary>
    private static string? Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var printable = new string(text.Where(c => !char.IsControl(c)).Take(MaxProgressText).ToArray()).Trim();
        return printable.Length == 0 ? null : printable;
    }
}
