using FhirGateway.Core.Fhir;

namespace FhirGateway.Core.Tests.Fhir;

public sealed class UpstreamBaseTests
{
    private static readonly UpstreamBase Base = new("http://fhir.example:8080/payer-a/fhir/");

    [Theory]
    [InlineData("http://fhir.example:8080/payer-a/fhir/Observation?_count=10&_offset=10", "Observation", "_count=10&_offset=10")]
    [InlineData("http://FHIR.example:8080/payer-a/fhir", "", "")]
    [InlineData("http://fhir.example:8080/payer-a/fhir?_getpages=abc", "", "_getpages=abc")]
    public void TryParse_InsideTheBase_SplitsPathAndQuery(string url, string path, string query)
    {
        Assert.True(Base.TryParse(url, out var relative, out var rest));
        Assert.Equal(path, relative);
        Assert.Equal(query, rest);
    }

    [Theory]
    [InlineData("http://other.example:8080/payer-a/fhir/Patient")]
    [InlineData("http://fhir.example:8081/payer-a/fhir/Patient")]
    [InlineData("http://fhir.example/payer-a/fhir/Patient")]
    [InlineData("https://fhir.example:8080/payer-a/fhir/Patient")]
    [InlineData("http://fhir.example:8080/ehr-b/fhir/Patient")]
    [InlineData("http://fhir.example:8080/payer-a/fhirx/Patient")]
    [InlineData("http://fhir.example:8080/payer-a/fhir/../../ehr-b/fhir/Patient")]
    [InlineData("http://fhir.example:8080/payer-a/fhir/%2e%2e/%2e%2e/ehr-b/fhir/Patient")]
    [InlineData("http://fhir.example:8080/payer-a/fhir/Patient%2F..%2F..")]
    [InlineData("http://user:pw@fhir.example:8080/payer-a/fhir/Patient")]
    [InlineData("http://fhir.example:8080@evil.example/payer-a/fhir/Patient")]
    [InlineData("http://fhir.example:8080\\@evil.example/payer-a/fhir/Patient")]
    [InlineData("http://fhir.example:8080/payer-a/fhir/Patient#x")]
    [InlineData("/payer-a/fhir/Patient")]
    [InlineData("file:///etc/passwd")]
    [InlineData("")]
    public void TryParse_OutsideTheBaseOrTricky_IsRefused(string url) =>
        Assert.False(Base.TryParse(url, out _, out _));

    [Fact]
    public void Resolve_QueryPassedAsReceived_KeepsOrderRepeatsAndModifiers()
    {
        var uri = Base.Resolve("Patient", "name:exact=A&name:exact=B&_include=Patient:organization&subject.name=x");

        Assert.Equal("http://fhir.example:8080/payer-a/fhir/Patient?name:exact=A&name:exact=B&_include=Patient:organization&subject.name=x", uri.AbsoluteUri);
    }

    [Theory]
    [InlineData("http://fhir.example:8080/payer-a/fhir/Observation?_offset=20", "https://gw.example/api/fhir/p/Observation?_offset=20")]
    [InlineData("Patient/1/_history/2", "https://gw.example/api/fhir/p/Patient/1/_history/2")]
    [InlineData("http://fhir.example:8080/payer-a/fhir/bulkstatus/42", "https://gw.example/api/fhir/p/_page?url=http%3A%2F%2Ffhir.example%3A8080%2Fpayer-a%2Ffhir%2Fbulkstatus%2F42")]
    public void GatewayLinks_InsideTheBase_PointAtTheGateway(string link, string expected) =>
        Assert.Equal(expected, new GatewayLinks(Base, "https://gw.example/api/fhir/p").Rewrite(link));

    [Fact]
    public void GatewayLinks_OutsideTheBase_AreNotRewritten() =>
        Assert.Null(new GatewayLinks(Base, "https://gw.example/api/fhir/p").Rewrite("http://evil.example/payer-a/fhir/Patient"));

    [Theory]
    [InlineData("Patient", true)]
    [InlineData("Observation", true)]
    [InlineData("Resource", false)]
    [InlineData("patient", false)]
    [InlineData("NotAType", false)]
    public void IsResourceType_R4Types_Only(string type, bool expected) => Assert.Equal(expected, FhirNames.IsResourceType(type));

    [Theory]
    [InlineData("abc-1.2", true)]
    [InlineData("a/b", false)]
    [InlineData("..", false)] // matches the pattern, but would be a dot segment in the upstream URL
    [InlineData("", false)]
    public void IsId_FhirIdPattern(string id, bool expected) => Assert.Equal(expected, FhirNames.IsId(id));
}
