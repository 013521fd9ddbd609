namespace FhirGateway.ProxyBench;

/// <summary>Where the benchmarked platform (<c>local-sandbox</c>) is: its FHIR base and OAuth endpoints, given to the gateway process.</summary>
internal sealed record GatewayPlatform(string FhirBase, string AuthorizeUrl, string TokenUrl);
