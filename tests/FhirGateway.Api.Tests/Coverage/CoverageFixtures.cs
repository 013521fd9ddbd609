using System.Globalization;
using FhirGateway.Api.Tests.Fhir;

namespace FhirGateway.Api.Tests.Coverage;

/// <summary>The sandbox and the gateway, with local-sandbox's CRD service pointed at the sandbox payer (payer-a).</summary>
public sealed class CoverageGatewayFixture : FhirGatewayFixture
{
    protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings =>
        [new("FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_CDS_SERVICES_URL", $"{Sandbox.FhirOrigin.AbsoluteUri.TrimEnd('/')}/payer-a/cds-services")];
}

/// <summary>The same with the CRD service on a closed port: the payer is down.</summary>
public sealed class PayerDownGatewayFixture : FhirGatewayFixture
{
    protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings =>
        [new("FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_CDS_SERVICES_URL", $"http://127.0.0.1:{ClosedPort.ToString(CultureInfo.InvariantCulture)}/payer-a/cds-services")];
}
