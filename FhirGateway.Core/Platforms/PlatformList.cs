namespace FhirGateway.Core.Platforms;

/// <summary>A list answer: the platforms matching a query and their count.</summary>
/// <param name="Platforms">The matching platforms' public views.</param>
/// <param name="Total">How many matched.</param>
public sealed record PlatformList(IReadOnlyList<PlatformSummary> Platforms, int Total);
