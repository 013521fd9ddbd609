namespace FhirGateway.ProxyBench;

/// <summary>One run: which interaction, which load, which target, and what it saw, merged and slice by slice.</summary>
internal sealed record Measurement(string Interaction, string Load, string Target, LoadResult Result, IReadOnlyList<LoadResult> Slices);
