using System.Buffers.Text;
using System.Security.Cryptography;
using FhirGateway.Core.Tokens.Protection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace FhirGateway.Core.Tokens.Redis;

/// <summary>
/// <c>SET fhirgw:lock:{hmac(owner, platform)} {random token} NX PX {lease}</c>; released by a script that deletes
/// the key only while it still holds this holder's token, so a holder whose lease ran out cannot free the next one's.
/// </summary>
internal sealed partial class RedisConnectionLock(IConnectionMultiplexer redis, StorageNames names, ILogger<RedisConnectionLock> logger)
    : IConnectionLock
{
    public async ValueTask<IAsyncDisposable?> TryAcquireAsync(OwnerKey owner, string platformId, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        var name = names.Lock(owner, platformId);
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var acquired = await RedisCall.RunAsync(redis.GetDatabase().StringSetAsync(name, token, lease, When.NotExists), cancellationToken);
        return acquired ? new Handle(redis.GetDatabase(), name, token, logger) : null;
    }

    [LoggerMessage(EventId = 1111, Level = LogLevel.Warning, Message = "Could not release a connection lock; it frees itself when its lease ends.")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception);

    private sealed class Handle(IDatabase database, RedisKey name, string token, ILogger logger) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            try
            {
                await database.ScriptEvaluateAsync(RedisScripts.ReleaseLock, [name], [token]).ConfigureAwait(false);
            }
            catch (Exception e) when (RedisCall.IsUnavailable(e))
            {
                // Disposal must not throw: the lease bounds how long the lock stays taken.
                LogReleaseFailed(logger, e);
            }
        }
    }
}
