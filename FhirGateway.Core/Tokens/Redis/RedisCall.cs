using FhirGateway.Core.Errors;
using StackExchange.Redis;

namespace FhirGateway.Core.Tokens.Redis;

/// <summary>Turns "Redis cannot be reached" into <see cref="TokenStoreUnavailableException"/> (503).</summary>
internal static class RedisCall
{
    public static async ValueTask<T> RunAsync<T>(Task<T> call, CancellationToken cancellationToken)
    {
        try
        {
            // StackExchange.Redis takes no token: stop waiting on cancellation; its own timeouts end the command.
            return await call.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw new TokenStoreUnavailableException(e);
        }
    }

    public static bool IsUnavailable(Exception e) => e is RedisConnectionException or RedisTimeoutException
        || (e is RedisServerException server && (server.Message.StartsWith("LOADING", StringComparison.Ordinal)
            || server.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal)
            || server.Message.StartsWith("READONLY", StringComparison.Ordinal)));
}
