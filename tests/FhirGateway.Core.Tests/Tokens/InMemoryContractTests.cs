namespace FhirGateway.Core.Tests.Tokens;

public sealed class InMemoryTokenStoreTests() : TokenStoreContractTests(new InMemoryHarness());

public sealed class InMemoryConnectionLockTests() : ConnectionLockContractTests(new InMemoryHarness());

public sealed class InMemoryConnectionEventsTests() : ConnectionEventsContractTests(new InMemoryHarness());
