namespace FhirGateway.Core.Tokens;

/// <summary>Which token store this process uses, decided once at start.</summary>
public sealed record TokenStoreInfo(TokenStoreBackend Backend);
