using FhirGateway.Core.Tokens;
using ModelContextProtocol;

namespace FhirGateway.Mcp.Tools;

/// <summary>
/// Waits for a login to land: listen first, then look in the store, then wait for the event, so a callback
/// between the look and the wait is not lost (the order the REST long poll uses). Reports progress every second.
/// </summary>
public sealed class AuthWait(ITokenStore store, IConnectionEvents events, TimeProvider time)
{
    /// <summary>The wait when the agent gives none.</summary>
    public const double DefaultSeconds = 60;

    /// <summary>The longest wait (the REST long poll's limit too).</summary>
    public const double MaxSeconds = 300;

    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    /// <summary>Waits up to <paramref name="timeout"/> for the owner's connection to the platform.</summary>
    public async Task<Outcome> WaitAsync(OwnerKey owner, string platformId, TimeSpan timeout, IProgress<ProgressNotificationValue> progress, CancellationToken cancellationToken)
    {
        await using var listener = await events.ListenAsync(owner, platformId, cancellationToken);
        if (await Connected(owner, platformId, cancellationToken) is { } existing)
        {
            return existing;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var ticker = ReportAsync(progress, platformId, timeout, deadline.Token);
        try
        {
            while (true)
            {
                var next = await listener.NextAsync(deadline.Token);
                if (next.Kind == ConnectionEventKind.Failed)
                {
                    return new Outcome(null, next.Message ?? "the platform refused the authorization.");
                }

                if (next.Kind == ConnectionEventKind.Connected && await Connected(owner, platformId, cancellationToken) is { } connected)
                {
                    return connected;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Outcome(null, null);
        }
        finally
        {
            await deadline.CancelAsync();
            await ticker;
        }
    }

    private async Task<Outcome?> Connected(OwnerKey owner, string platformId, CancellationToken cancellationToken) =>
        await store.GetAsync(owner, platformId, cancellationToken) is { ReauthorizationReason: null } connection
            ? new Outcome(ConnectionStatus.From(connection, time.GetUtcNow()), null)
            : null;

    private async Task ReportAsync(IProgress<ProgressNotificationValue> progress, string platformId, TimeSpan timeout, CancellationToken stop)
    {
        var total = (float)timeout.TotalSeconds;
        var message = $"Waiting for the user to log in to {platformId}";
        progress.Report(new ProgressNotificationValue { Progress = 0, Total = total, Message = message });
        using var timer = new PeriodicTimer(Tick, time);
        var elapsed = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                progress.Report(new ProgressNotificationValue { Progress = ++elapsed, Total = total, Message = message });
            }
        }
        catch (OperationCanceledException)
        {
            // The wait ended.
        }
    }

    /// <summary>How a wait ended: connected, failed (why), or neither before the timeout.</summary>
    public sealed record Outcome(ConnectionStatus? Connection, string? Failure);
}
