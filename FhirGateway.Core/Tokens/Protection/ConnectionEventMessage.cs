namespace FhirGateway.Core.Tokens.Protection;

/// <summary>A connection event on the wire: the owner only as its HMAC, never in clear.</summary>
/// <param name="O">HMAC of the owner (<see cref="StorageNames.EventOwner"/>).</param>
/// <param name="P">The platform id.</param>
/// <param name="K">What happened.</param>
/// <param name="M">The message for the user, for failures.</param>
internal sealed record ConnectionEventMessage(string O, string P, ConnectionEventKind K, string? M);
