namespace FhirGateway.Core.Tests.Tokens;

[Collection(RedisTests.Name)]
public sealed class RedisTokenStoreTests(RedisFixture redis) : TokenStoreContractTests(new RedisHarness(redis.Server));

/// <summary>The same contract with the decrypted-connection cache in front (a lifetime far beyond any test's waits).</summary>
[Collection(RedisTests.Name)]
public sealed class CachedRedisTokenStoreTests(RedisFixture redis) : TokenStoreContractTests(new RedisHarness(redis.Server, tokenCacheSeconds: 60));

[Collection(RedisTests.Name)]
public sealed class RedisConnectionLockTests(RedisFixture redis) : ConnectionLockContractTests(new RedisHarness(redis.Server));

[Collection(RedisTests.Name)]
public sealed class RedisConnectionEventsTests(RedisFixture redis) : ConnectionEventsContractTests(new RedisHarness(redis.Server));
