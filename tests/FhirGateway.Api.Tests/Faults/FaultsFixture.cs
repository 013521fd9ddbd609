using FhirGateway.Api.Tests.Fhir;

namespace FhirGateway.Api.Tests.Faults;

/// <summary>The FHIR fixture with its open <c>raw</c> platform pointed at a <see cref="GarbageUpstream"/>.</summary>
public sealed class FaultsFixture : FhirGatewayFixture, IAsyncLifetime
{
    public const string GarbagePlatform = "raw";

    public GarbageUpstream Garbage { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings => [new("FHIR_GATEWAY_PLATFORM_RAW_FHIR_BASE_URL", Garbage.BaseUrl)];

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Garbage.DisposeAsync();
    }
}
