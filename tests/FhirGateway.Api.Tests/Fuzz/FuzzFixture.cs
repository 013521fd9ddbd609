using FhirGateway.Api.Tests.Fhir;

namespace FhirGateway.Api.Tests.Fuzz;

/// <summary>The FHIR fixture with rate limits out of the way and a 64 KB body limit, so oversized bodies are cheap to send.</summary>
public sealed class FuzzFixture : FhirGatewayFixture
{
    public const int MaxBodyBytes = 64 * 1024;

    protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings =>
    [
        new("FHIR_GATEWAY_RATE_LIMIT_PERMITS", "10000000"),
        new("FHIR_GATEWAY_RATE_LIMIT_ANONYMOUS_PERMITS", "10000000"),
        new("FHIR_GATEWAY_FHIR_MAX_REQUEST_BYTES", MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];
}
