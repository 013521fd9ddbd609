using System.Collections.Concurrent;
using System.Net;
using FhirGateway.Core.Audit;
using FhirGateway.Core.Errors;
using FhirGateway.Core.Platforms;
using FhirGateway.Core.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Auth;

/// <summary>
/// Hands out a usable connection, refreshing it first when due, with exactly one refresh per owner and
/// platform in flight across every replica: platforms rotate refresh tokens and revoke the whole grant when a
/// used one comes back (OAuth 2.0 Security BCP, RFC 9700 §4.14.2), so two concurrent refreshes log the user out.
/// </summary>
/// <remarks>
/// In one process, callers share one task (single flight). Across processes, the task's owner takes
/// <see cref="IConnectionLock"/>; a process that does not get it has already started listening
/// (<see cref="IConnectionEvents"/>, listen before trying the lock so the holder's event cannot slip past), waits
/// for the holder's <c>Refreshed</c>/<c>Failed</c> event or its lease to pass, and takes the result from the store.
/// The holder reads the store again after taking the lock, since another replica may have refreshed already.
/// A transient failure (timeout, 5xx) leaves the connection as it was and publishes <c>RefreshAbandoned</c>, so
/// waiters elsewhere try again at once instead of waiting out the lease.
/// </remarks>
internal sealed class ConnectionRefresher(
    SmartClientResolver resolver,
    TokenEndpointClient tokenEndpoint,
    ITokenStore store,
    IConnectionLock connectionLock,
    IConnectionEvents events,
    IOptions<SmartAuthOptions> options,
    TimeProvider time,
    GatewayAudit audit,
    ILogger<ConnectionRefresher> logger)
{
    /// <summary>What the user is told after the platform refused a refresh.</summary>
    internal const string RefusedReason = "The platform refused to refresh the session; please log in again.";

    private const int MaxLockRounds = 3;

    private readonly ConcurrentDictionary<(string Owner, string PlatformId), Task<PlatformConnection>> _inFlight = new();

    private readonly ConcurrentDictionary<(string Owner, string PlatformId), Task<PlatformConnection?>> _reads = new();

    /// <summary>
    /// How many entries <see cref="_inFlight"/> and <see cref="_reads"/> hold: while none, a call skips looking them up
    /// (every proxied call's case, in memory). Reading 0 just before an entry is added is the same race as a lookup
    /// that just missed it.
    /// </summary>
    private int _flights;

    private int _pendingReads;

    /// <summary><see cref="ISmartAuthorization.GetConnectionAsync"/>, with the platform named by id or alias.</summary>
    public ValueTask<PlatformConnection> GetConnectionAsync(OwnerKey owner, string platformId, bool forceRefresh, CancellationToken cancellationToken)
    {
        Platform platform;
        try
        {
            platform = resolver.Find(platformId);
        }
        catch (PlatformNotFoundException e)
        {
            return ValueTask.FromException<PlatformConnection>(e);
        }

        return GetConnectionAsync(owner, platform, forceRefresh, cancellationToken);
    }

    /// <summary>
    /// <see cref="ISmartAuthorization.GetConnectionAsync"/> for a platform already found. A <see cref="ValueTask{TResult}"/>:
    /// a connection read from memory that needs no refresh, every proxied call's case, completes at once without a task.
    /// </summary>
    public async ValueTask<PlatformConnection> GetConnectionAsync(OwnerKey owner, Platform platform, bool forceRefresh, CancellationToken cancellationToken)
    {
        var key = (owner.Value, platform.Id);
        // A refresh in flight here answers this caller too, with the token it would otherwise wait for: joining it
        // before the store read keeps a storm of requests on one expired token from queuing a read each (a Redis
        // round trip and a decryption) ahead of the refresh's own lock and read.
        if (Volatile.Read(ref _flights) != 0 && _inFlight.TryGetValue(key, out var inFlight))
        {
            return await inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var connection = Usable(platform.Id, await ReadAsync(key, owner, cancellationToken).ConfigureAwait(false));
        if (!forceRefresh && !NeedsRefresh(connection))
        {
            return connection;
        }

        while (true)
        {
            if (_inFlight.TryGetValue(key, out var running))
            {
                return await running.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            var flight = new TaskCompletionSource<PlatformConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_inFlight.TryAdd(key, flight.Task))
            {
                Interlocked.Increment(ref _flights);
                // Not tied to this caller's cancellation: the other callers wait on the same refresh.
                _ = RunFlightAsync(flight, key, owner, platform, connection.AccessToken, forceRefresh);
                return await flight.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The stored connection, read once for all concurrent callers of one owner and platform while a read is
    /// pending (Redis): a storm of requests would otherwise queue a round trip and a decryption each ahead of the
    /// refresh's lock. A caller may get a read that started before it arrived, by at most that one round trip. A
    /// read that completes at once (in memory) is not shared and costs nothing more.
    /// </summary>
    private async ValueTask<PlatformConnection?> ReadAsync((string, string PlatformId) key, OwnerKey owner, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _pendingReads) != 0 && _reads.TryGetValue(key, out var running))
        {
            return await running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        // Not tied to this caller's cancellation: others may wait on the same read.
        var pending = store.GetAsync(owner, key.PlatformId, CancellationToken.None);
        if (pending.IsCompletedSuccessfully)
        {
            return pending.Result;
        }

        var read = pending.AsTask();
        if (_reads.TryAdd(key, read))
        {
            Interlocked.Increment(ref _pendingReads);
            _ = read.ContinueWith(
                done =>
                {
                    _reads.TryRemove(new(key, done));
                    Interlocked.Decrement(ref _pendingReads);
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        return await read.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RunFlightAsync(
        TaskCompletionSource<PlatformConnection> flight, (string, string) key, OwnerKey owner, Platform platform, string seenAccessToken, bool force)
    {
        try
        {
            flight.SetResult(await RefreshOnceAcrossReplicasAsync(owner, platform, seenAccessToken, force).ConfigureAwait(false));
        }
        catch (Exception e)
        {
            flight.SetException(e);
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<(string, string), Task<PlatformConnection>>(key, flight.Task));
            Interlocked.Decrement(ref _flights);
        }
    }

    private async Task<PlatformConnection> RefreshOnceAcrossReplicasAsync(OwnerKey owner, Platform platform, string seenAccessToken, bool force)
    {
        // Long enough for discovery and a token request, each bounded by the HTTP timeout.
        var lease = options.Value.HttpTimeout * 3;
        for (var round = 0; round < MaxLockRounds; round++)
        {
            var listener = await events.ListenAsync(owner, platform.Id, CancellationToken.None).ConfigureAwait(false);
            await using (listener.ConfigureAwait(false))
            {
                var handle = await connectionLock.TryAcquireAsync(owner, platform.Id, lease, CancellationToken.None).ConfigureAwait(false);
                if (handle is not null)
                {
                    await using (handle.ConfigureAwait(false))
                    {
                        var current = Usable(platform.Id, await store.GetAsync(owner, platform.Id, CancellationToken.None).ConfigureAwait(false));
                        return AlreadyRefreshed(current, seenAccessToken, force)
                            ? current
                            : await RefreshNowAsync(owner, platform, current).ConfigureAwait(false);
                    }
                }

                // Listen, then look: the holder may have saved and published before this listener subscribed (it
                // still held the lock a moment after), and that event will not come again.
                var meanwhile = Usable(platform.Id, await store.GetAsync(owner, platform.Id, CancellationToken.None).ConfigureAwait(false));
                if (AlreadyRefreshed(meanwhile, seenAccessToken, force))
                {
                    return meanwhile;
                }

                SmartAuthLog.RefreshWaiting(logger, platform.Id);
                using var wait = new CancellationTokenSource(lease, time);
                try
                {
                    await listener.NextAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (wait.IsCancellationRequested)
                {
                    // The holder's lease passed without an event (it failed transiently or died): look and maybe take over.
                }
            }

            var after = Usable(platform.Id, await store.GetAsync(owner, platform.Id, CancellationToken.None).ConfigureAwait(false));
            if (AlreadyRefreshed(after, seenAccessToken, force))
            {
                return after;
            }
        }

        throw new AuthorizationServerException(HttpStatusCode.GatewayTimeout, $"Refreshing the session with platform '{platform.Id}' did not finish in time; try again.");
    }

    private async Task<PlatformConnection> RefreshNowAsync(OwnerKey owner, Platform platform, PlatformConnection current)
    {
        if (current.RefreshToken is not { } refreshToken)
        {
            throw Required(platform.Id, "The session expired and the platform gave no refresh token; please log in again.");
        }

        var started = time.GetTimestamp();
        try
        {
            var refreshed = await RefreshWithAsync(owner, platform, current, refreshToken).ConfigureAwait(false);
            audit.Authorization(AuditAction.TokenRefresh, AuditOutcome.Success, owner, platform.Id, "refreshed", time.GetElapsedTime(started));
            return refreshed;
        }
        catch (GatewayException e)
        {
            var (outcome, reason) = AuditReason.Of(e, AuditOutcome.Failure, $"HTTP {(int)e.Status}");
            audit.Authorization(AuditAction.TokenRefresh, outcome, owner, platform.Id, reason, time.GetElapsedTime(started));
            throw;
        }
    }

    private async Task<PlatformConnection> RefreshWithAsync(OwnerKey owner, Platform platform, PlatformConnection current, string refreshToken)
    {
        var client = await resolver.ResolveAsync(platform, wantIdentity: false, CancellationToken.None).ConfigureAwait(false);
        TokenResponse token;
        try
        {
            token = await tokenEndpoint.RefreshAsync(client, refreshToken, CancellationToken.None).ConfigureAwait(false);
        }
        catch (OAuthRefusedException e) when (e.GrantUnusable)
        {
            // RFC 6749 §5.2 invalid_grant: the refresh token is expired, revoked or was reused. Only a login helps;
            // keep the connection so its status can say so.
            SmartAuthLog.RefreshRefused(logger, platform.Id, e.Error);
            await store.SaveAsync(owner, current with { ReauthorizationReason = RefusedReason }, CancellationToken.None).ConfigureAwait(false);
            await events.PublishAsync(new ConnectionEvent(owner, platform.Id, ConnectionEventKind.Failed, RefusedReason), CancellationToken.None).ConfigureAwait(false);
            throw AuditReason.Attach(Required(platform.Id, RefusedReason), AuditOutcome.Denied, "refused " + e.Error);
        }
        catch (OAuthRefusedException e)
        {
            SmartAuthLog.RefreshRefused(logger, platform.Id, e.Error);
            throw AuditReason.Attach(
                new AuthorizationServerException(HttpStatusCode.BadGateway, $"Platform '{platform.Id}' refused the gateway's refresh request ({e.Error}); check the gateway's client settings."),
                AuditOutcome.Denied, "refused " + e.Error);
        }
        catch (AuthorizationServerException e)
        {
            SmartAuthLog.RefreshFailed(logger, platform.Id, (int)e.Status);
            AuditReason.Attach(e, AuditOutcome.Failure, $"token endpoint HTTP {(int)e.Status}");
            await events.PublishAsync(new ConnectionEvent(owner, platform.Id, ConnectionEventKind.RefreshAbandoned), CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        var refreshed = ConnectionTokens.Refreshed(current, token, time.GetUtcNow());
        await store.SaveAsync(owner, refreshed, CancellationToken.None).ConfigureAwait(false);
        await events.PublishAsync(new ConnectionEvent(owner, platform.Id, ConnectionEventKind.Refreshed), CancellationToken.None).ConfigureAwait(false);
        SmartAuthLog.Refreshed(logger, platform.Id, token.RefreshToken is { Length: > 0 });
        return refreshed;
    }

    private bool NeedsRefresh(PlatformConnection connection) =>
        connection.ExpiresAt is { } expires && expires - options.Value.RefreshMargin <= time.GetUtcNow();

    private bool AlreadyRefreshed(PlatformConnection current, string seenAccessToken, bool force) =>
        !string.Equals(current.AccessToken, seenAccessToken, StringComparison.Ordinal) || (!force && !NeedsRefresh(current));

    private PlatformConnection Usable(string platformId, PlatformConnection? connection) =>
        connection is null ? throw Required(platformId, "Not connected to this platform.")
        : connection.ReauthorizationReason is { } reason ? throw Required(platformId, reason)
        : connection;

    private AuthorizationRequiredException Required(string platformId, string reason) =>
        new(platformId, reason, options.Value.LoginUrl(platformId));
}
