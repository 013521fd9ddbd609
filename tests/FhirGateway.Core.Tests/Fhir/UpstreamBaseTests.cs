using System.Text;
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

    [Fact]
    public void IsResourceType_EveryConcreteR4TypeFirelyKnows_AndNothingElse()
    {
        foreach (var type in Enum.GetValues<Hl7.Fhir.Model.ResourceType>())
        {
            var name = Hl7.Fhir.Model.ModelInfo.ResourceTypeToFhirTypeName(type)!;
            Assert.Equal(name is not ("Resource" or "DomainResource") && Hl7.Fhir.Model.ModelInfo.IsKnownResource(name), FhirNames.IsResourceType(name));
            Assert.False(FhirNames.IsResourceType(name.ToLowerInvariant()));
        }
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("metadata", true)]
    [InlineData("_history", true)]
    [InlineData("$export", true)]
    [InlineData("Patient", true)]
    [InlineData("Patient/_search", true)]
    [InlineData("Patient/_history", true)]
    [InlineData("Patient/$everything", true)]
    [InlineData("Patient/p-1.2", true)]
    [InlineData("Patient/p1/_history", true)]
    [InlineData("Patient/p1/$everything", true)]
    [InlineData("Patient/p1/_history/3", true)]
    [InlineData("paging/abc", false)] // an opaque paging path: through the _page route
    [InlineData("Patient/", false)]
    [InlineData("Patient/..", false)]
    [InlineData("Patient/p1/_history/3/x", false)]
    [InlineData("Patient/p1/other", false)]
    [InlineData("Patient/p1/_history/..", false)]
    [InlineData("Resource/p1", false)]
    [InlineData("export-file/j1/Patient.ndjson", false)]
    public void IsRestPath_TheShapesOfTheRestfulApiOnly(string path, bool expected) => Assert.Equal(expected, FhirNames.IsRestPath(path));
}

/// <summary>
/// UpstreamBase splits plain URLs (the base as written, plain segments, a plain query) without parsing them; every
/// answer must be the one parsing gives: the same verdict, the same path, the same query.
/// </summary>
public sealed class UpstreamBasePlainUrlTests
{
    private const string BaseUrl = "http://fhir.example:8080/payer-a/fhir";
    private static readonly UpstreamBase Base = new(BaseUrl + "/");

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("?")]
    [InlineData("/?")]
    [InlineData("/Patient")]
    [InlineData("/Patient/")]
    [InlineData("/Patient//")]
    [InlineData("//Patient")]
    [InlineData("/Patient//1")]
    [InlineData("/Patient/./1")]
    [InlineData("/Patient/../1")]
    [InlineData("/Patient/.")]
    [InlineData("/Patient/..")]
    [InlineData("/./Patient")]
    [InlineData("x/Patient")]
    [InlineData("/Patient/1/_history/2")]
    [InlineData("/Patient/$everything")]
    [InlineData("/Patient/a~b_c-d.e")]
    [InlineData("/Patient?name=A&name=B&_count=20")]
    [InlineData("/Patient?name:exact=A&_include=Patient:organization&subject.name=x")]
    [InlineData("/Observation?code=http://loinc.org|1234-5")]
    [InlineData("/Observation?date=ge2020-01-01T00:00:00+00:00")]
    [InlineData("/Patient?name=%41b%2F%20c")]
    [InlineData("/Patient?name=%4")]
    [InlineData("/Patient?name=%2f%7E%C3%A9%25")]
    [InlineData("/Patient?name=%zz")]
    [InlineData("/Patient?name=a%")]
    [InlineData("/Patient?a='b'&c=(d)*!,;$")]
    [InlineData("/Patient?a=b?c/d@e")]
    [InlineData("/Patient??a=b")]
    [InlineData("/Patient?a=b#frag")]
    [InlineData("/Patient?a=b c")]
    [InlineData("/Patient?a=\"b\"")]
    [InlineData("/Patient?a=<b>{c}^`")]
    [InlineData("/Patient?a=é")]
    [InlineData("/Patient/é")]
    [InlineData("/Patient/a%2Fb")]
    [InlineData("/Patient/a b")]
    [InlineData("/Patient/a\\b")]
    [InlineData("/Patient/a'b")]
    [InlineData("/Patient/a:b")]
    public void PlainOrNot_SameAnswerAsParsing(string rest)
    {
        var url = BaseUrl + rest;
        var expected = ByParsing(url, out var expectedPath, out var expectedQuery);

        var actual = Base.TryParse(url, out var path, out var query);
        var links = new GatewayLinks(Base, "https://gw.example/api/fhir/p");
        var link = links.Rewrite(url);
        var fromBytes = links.TryRewritePlain(Encoding.UTF8.GetBytes(url), out var bytes);

        Assert.Equal(expected, actual);
        if (expected)
        {
            Assert.Equal(expectedPath, path);
            Assert.Equal(expectedQuery, query);
            Assert.NotNull(link);
        }

        // A link from a Bundle's bytes is rewritten as its text would be, or left to the text path.
        if (fromBytes)
        {
            Assert.True(expected);
            Assert.Equal(link, Encoding.UTF8.GetString(bytes));
        }
    }

    [Theory]
    [InlineData("", "https://gw.example/api/fhir/p")]
    [InlineData("/", "https://gw.example/api/fhir/p")]
    [InlineData("?_getpages=abc&_getpagesoffset=20", "https://gw.example/api/fhir/p?_getpages=abc&_getpagesoffset=20")]
    [InlineData("/Observation?patient=pat-1&category=vital-signs&_count=20", "https://gw.example/api/fhir/p/Observation?patient=pat-1&category=vital-signs&_count=20")]
    [InlineData("/Patient/p-1/_history/2", "https://gw.example/api/fhir/p/Patient/p-1/_history/2")]
    [InlineData("/Observation?code=http://loinc.org|1234-5", null)] // '|' is not plain: the text path
    [InlineData("/paging/abc", null)] // not a RESTful path: the text path makes the _page link
    public void TryRewritePlain_TheCommonLinks_FromTheirBytes(string rest, string? expected)
    {
        var url = BaseUrl + rest;
        var links = new GatewayLinks(Base, "https://gw.example/api/fhir/p");

        var fromBytes = links.TryRewritePlain(Encoding.UTF8.GetBytes(url), out var bytes);

        Assert.Equal(expected is not null, fromBytes);
        Assert.Equal(expected, fromBytes ? Encoding.UTF8.GetString(bytes) : null);
        Assert.NotNull(links.Rewrite(url));
    }

    [Fact]
    public void TryRewritePlain_APrefixThatNeedsJsonEscaping_LeftToTheTextPath()
    {
        var links = new GatewayLinks(Base, "https://gw.example/api/fhir/p\\q");

        Assert.False(links.TryRewritePlain(Encoding.UTF8.GetBytes(BaseUrl + "/Patient"), out _));
    }

    [Fact]
    public void PlainButLongerThan8192_RefusedAsParsingRefusesIt()
    {
        var url = BaseUrl + "/Patient?name=" + new string('a', 8192);

        Assert.False(Base.TryParse(url, out _, out _));
        Assert.Null(new GatewayLinks(Base, "https://gw.example/api/fhir/p").Rewrite(url));
        Assert.False(new GatewayLinks(Base, "https://gw.example/api/fhir/p").TryRewritePlain(Encoding.UTF8.GetBytes(url), out _));
    }

    /// <summary>The rule written out with <see cref="Uri"/> alone: refuse what is written with dot segments, encoded separators or a fragment, then compare the parsed parts.</summary>
    private static bool ByParsing(string url, out string path, out string query)
    {
        path = "";
        query = "";
        var rawPath = url.Split('?', '#')[0];
        if (url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\') || url.Contains('#', StringComparison.Ordinal) || rawPath.Contains('%', StringComparison.Ordinal)
            || rawPath.Contains("/./", StringComparison.Ordinal) || rawPath.Contains("/../", StringComparison.Ordinal)
            || rawPath.EndsWith("/.", StringComparison.Ordinal) || rawPath.EndsWith("/..", StringComparison.Ordinal)
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Authority != "fhir.example:8080" || uri.UserInfo.Length > 0)
        {
            return false;
        }

        query = uri.Query.TrimStart('?');
        var absolute = uri.AbsolutePath;
        if (absolute is "/payer-a/fhir" or "/payer-a/fhir/")
        {
            return true;
        }

        if (!absolute.StartsWith("/payer-a/fhir/", StringComparison.Ordinal))
        {
            return false;
        }

        path = absolute["/payer-a/fhir/".Length..].TrimEnd('/');
        return path.Split('/').All(segment => segment is not ("" or "." or ".."));
    }
}
