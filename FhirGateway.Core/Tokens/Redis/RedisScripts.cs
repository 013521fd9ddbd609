using FhirGateway.Core.Tokens.Protection;

namespace FhirGateway.Core.Tokens.Redis;

/// <summary>
/// Lua scripts, so that each store operation is one Redis command (EVALSHA once cached) and atomic.
/// Connection scripts take KEYS = the owner's hash name under the current key, then under each older key:
/// after a master key rotation the first older hash found is renamed to the current name, keeping its TTL
/// (its values stay sealed under the older key until rewritten; the associated data names the owner, not the
/// hash, so a rename does not break them).
/// </summary>
internal static class RedisScripts
{
    private const string AdoptOlder = """
        if #KEYS > 1 and redis.call('EXISTS', KEYS[1]) == 0 then
          for i = 2, #KEYS do
            if redis.call('EXISTS', KEYS[i]) == 1 then
              redis.call('RENAME', KEYS[i], KEYS[1])
              break
            end
          end
        end

        """;

    /// <summary>ARGV: platform id, session max age (ms). Returns the sealed value or nil; slides the expiry.</summary>
    public const string Get = AdoptOlder + """
        local value = redis.call('HGET', KEYS[1], ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return value
        """;

    /// <summary>ARGV: session max age (ms). Returns HGETALL's field/value list; slides the expiry.</summary>
    public const string List = AdoptOlder + """
        local all = redis.call('HGETALL', KEYS[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        return all
        """;

    /// <summary>
    /// ARGV: platform id, sealed value, session max age (ms), cache entry id. Publishes the id on the invalidation
    /// channel in the same step, so no replica's token cache can miss the change while Redis is reachable.
    /// </summary>
    public const string Save = AdoptOlder + $"""
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        redis.call('PUBLISH', '{StorageNames.InvalidationChannel}', ARGV[4])
        return 1
        """;

    /// <summary>ARGV: platform id, cache entry id. Returns 1 when removed; publishes the id as Save does.</summary>
    public const string Remove = AdoptOlder + $"""
        local removed = redis.call('HDEL', KEYS[1], ARGV[1])
        redis.call('PUBLISH', '{StorageNames.InvalidationChannel}', ARGV[2])
        return removed
        """;

    /// <summary>KEYS: the state's names under every key. Gets and deletes the first found (single use).</summary>
    public const string TakePending = """
        for i = 1, #KEYS do
          local value = redis.call('GETDEL', KEYS[i])
          if value then
            return value
          end
        end
        return false
        """;

    /// <summary>KEYS: the lock; ARGV: the holder's token. Deletes only the holder's own lease.</summary>
    public const string ReleaseLock = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;
}
