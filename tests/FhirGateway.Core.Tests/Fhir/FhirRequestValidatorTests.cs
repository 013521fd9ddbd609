using FhirGateway.Core.Fhir;
using FhirGateway.Core.Platforms;

namespace FhirGateway.Core.Tests.Fhir;

/// <summary>The upstream URL each interaction goes to, under the platform base, with the query as received.</summary>
public sealed class FhirRequestValidatorTests
{
    private static readonly UpstreamBase Base = new("http://fhir.example:8080/payer-a/fhir/");

    private static readonly PlatformDefinition Platform = new()
    {
        Id = "payer-a",
        Name = "Payer A",
        DisplayName = "Payer A",
        Type = PlatformType.Payer,
        Status = PlatformStatus.Active,
        Registration = PlatformRegistration.None,
    };

    [Theory]
    [InlineData(FhirInteraction.Search, "GET", null, null, null, "name=a", "/Patient?name=a")]
    [InlineData(FhirInteraction.Search, "GET", "", null, null, "_type=Patient", "?_type=Patient")]
    [InlineData(FhirInteraction.Search, "POST", null, null, null, null, "/Patient/_search")]
    [InlineData(FhirInteraction.Read, "GET", "p1", null, null, null, "/Patient/p1")]
    [InlineData(FhirInteraction.VRead, "GET", "p1", "2", null, null, "/Patient/p1/_history/2")]
    [InlineData(FhirInteraction.History, "GET", "", null, null, null, "/_history")]
    [InlineData(FhirInteraction.History, "GET", null, null, null, null, "/Patient/_history")]
    [InlineData(FhirInteraction.History, "GET", "p1", null, null, "_count=5", "/Patient/p1/_history?_count=5")]
    [InlineData(FhirInteraction.Operation, "GET", "", null, "$export", null, "/$export")]
    [InlineData(FhirInteraction.Operation, "GET", null, null, "$export", null, "/Patient/$export")]
    [InlineData(FhirInteraction.Operation, "GET", "p1", null, "$everything", null, "/Patient/p1/$everything")]
    [InlineData(FhirInteraction.Delete, "DELETE", "p1", null, null, null, "/Patient/p1")]
    [InlineData(FhirInteraction.Delete, "DELETE", null, null, null, "identifier=x", "/Patient?identifier=x")]
    [InlineData(FhirInteraction.Capabilities, "GET", "", null, null, null, "/metadata")]
    public void Validate_EachInteraction_ItsUrlUnderTheBase(
        FhirInteraction interaction, string method, string? id, string? versionId, string? operation, string? query, string expected)
    {
        // "" stands for a system-level call: no resource type (and no id).
        var request = new FhirRequest
        {
            PlatformId = "payer-a",
            Interaction = interaction,
            Method = HttpMethod.Parse(method),
            ResourceType = id == "" ? null : "Patient",
            Id = string.IsNullOrEmpty(id) ? null : id,
            VersionId = versionId,
            Operation = operation,
            Query = query,
        };

        var url = FhirRequestValidator.Validate(request, Platform, Base, maxCount: 1000);

        Assert.Equal("http://fhir.example:8080/payer-a/fhir" + expected, url.AbsoluteUri);
    }
}
