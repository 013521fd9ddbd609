using System.Text.Json;

namespace FhirGateway.Core.Coverage;

/// <summary>The essentials of a PAS ClaimResponse (Da Vinci PAS), read from what the payer returned.</summary>
public sealed record PriorAuthDecision
{
    /// <summary>The platform asked.</summary>
    public required string PlatformId { get; init; }

    /// <summary>The request's identifier: quote it to ask for the status.</summary>
    public required string ClaimIdentifier { get; init; }

    /// <summary>approved, pended, denied, partial, error or unknown, from the items' review action codes and the outcome.</summary>
    public required string Status { get; init; }

    /// <summary>One paragraph restating the payer's answer.</summary>
    public required string Summary { get; init; }

    /// <summary>ClaimResponse.outcome: queued, complete, error or partial.</summary>
    public string? Outcome { get; init; }

    /// <summary>ClaimResponse.disposition.</summary>
    public string? Disposition { get; init; }

    /// <summary>The authorization number, once approved.</summary>
    public string? PreAuthRef { get; init; }

    /// <summary>When the authorization is valid.</summary>
    public PreAuthPeriod? PreAuthPeriod { get; init; }

    /// <summary>Per item: the review action and reasons.</summary>
    public required IReadOnlyList<PriorAuthItem> Items { get; init; }

    /// <summary>ClaimResponse.processNote texts.</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    /// <summary>ClaimResponse.error codes and texts.</summary>
    public required IReadOnlyList<string> Errors { get; init; }

    /// <summary>The ClaimResponse's id at the payer.</summary>
    public string? ClaimResponseId { get; init; }

    /// <summary>The ClaimResponse exactly as the payer sent it.</summary>
    public required JsonElement ClaimResponse { get; init; }
}

/// <summary>A validity period.</summary>
/// <param name="Start">From.</param>
/// <param name="End">Until.</param>
public sealed record PreAuthPeriod(string? Start, string? End);

/// <summary>One adjudicated item.</summary>
/// <param name="ItemSequence">The Claim item's sequence.</param>
/// <param name="ReviewActionCode">X12 306 code: A1 certified, A2 partly, A3 not certified, A4 pended, A6 modified, ...</param>
/// <param name="ReviewAction">The code's display or text.</param>
/// <param name="Reasons">The adjudication reasons.</param>
/// <param name="AuthorizationNumber">The item's authorization number, when approved.</param>
public sealed record PriorAuthItem(int? ItemSequence, string? ReviewActionCode, string? ReviewAction, IReadOnlyList<string> Reasons, string? AuthorizationNumber);
