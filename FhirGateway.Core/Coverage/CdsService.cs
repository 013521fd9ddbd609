namespace FhirGateway.Core.Coverage;

/// <summary>One service of a CDS Hooks discovery answer (CDS Hooks 2.0 §Discovery).</summary>
/// <param name="Id">Its id; it is called at <c>{discovery}/{id}</c>.</param>
/// <param name="Hook">The hook it serves.</param>
/// <param name="Url">Where it is called.</param>
/// <param name="Prefetch">Its prefetch templates by key.</param>
internal sealed record CdsService(string Id, string Hook, Uri Url, IReadOnlyDictionary<string, string> Prefetch);
