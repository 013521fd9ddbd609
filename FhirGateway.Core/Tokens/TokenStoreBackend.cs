namespace FhirGateway.Core.Tokens;

/// <summary>Where the gateway keeps tokens and pending authorizations.</summary>
public enum TokenStoreBackend
{
    /// <summary>Process memory: development only; lost on restart and not shared between replicas or front-ends.</summary>
    InMemory,

    /// <summary>Redis, shared by every replica of the REST and MCP front-ends.</summary>
    Redis,
}
