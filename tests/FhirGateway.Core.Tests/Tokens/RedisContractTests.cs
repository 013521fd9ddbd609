namespace FhirGateway.Core.Tests.Tokens;

[Collection(RedisTests.Name)]
public sealed class RedisTokenStoreTests(RedisFixture redis) : TokenStoreContractTests(new RedisHarness(redis.Server));

[Collection(RedisTests.Name)]
public sealed class RedisConnectionLockTests(RedisFixture redis) : ConnectionLockContractTests(new RedisHarness(redis.Server));

[Collection(RedisTests.Name)]
public sealed class RedisConnectionEventsTests(RedisFixture redis) : ConnectionEventsContractTests(new RedisHarness(redis.Server));
