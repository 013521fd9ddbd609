using System.Text;
using System.Text.Json;
using FhirGateway.Core.Fhir;

namespace FhirGateway.Core.Tests.Fhir;

public sealed class BundleLinkRewriterTests
{
    private const string Inside = "http://fhir.example/fhir/Patient?name=x";
    private const string Rewritten = "https://gw.example/api/fhir/p/Patient?name=x";
    private static readonly GatewayLinks Links = new(new UpstreamBase("http://fhir.example/fhir"), "https://gw.example/api/fhir/p");

    [Fact]
    public void Rewrite_BundleLinks_InsideRewrittenOutsideRemovedEntriesUntouched()
    {
        const string Bundle = """
            {"resourceType":"Bundle","type":"searchset","link":[
              {"relation":"self","url":"http://fhir.example/fhir/Observation?_count=2"},
              {"relation":"next","url":"http://fhir.example/fhir/Observation?_count=2&_offset=2"},
              {"relation":"other","url":"http://evil.example/x"}],
             "entry":[{"fullUrl":"http://fhir.example/fhir/Observation/1","resource":{"resourceType":"Observation","id":"1","valueQuantity":{"value":1.50}}}]}
            """;

        var rewritten = JsonDocument.Parse(Rewrite(Bundle)!).RootElement;

        var links = rewritten.GetProperty("link").EnumerateArray().Select(l => l.GetProperty("url").GetString()).ToList();
        Assert.Equal(["https://gw.example/api/fhir/p/Observation?_count=2", "https://gw.example/api/fhir/p/Observation?_count=2&_offset=2"], links);
        Assert.Equal("http://fhir.example/fhir/Observation/1", rewritten.GetProperty("entry")[0].GetProperty("fullUrl").GetString());
        Assert.Equal("1.50", rewritten.GetProperty("entry")[0].GetProperty("resource").GetProperty("valueQuantity").GetProperty("value").GetRawText());
    }

    [Theory]
    [InlineData("""{"resourceType":"Patient","id":"1","link":[{"url":"http://fhir.example/fhir/Patient/2"}]}""")]
    [InlineData("""{"resourceType":"Bundle","type":"searchset","entry":[]}""")]
    [InlineData("""{"resourceType":"Bundle","link":{"url":"http://fhir.example/fhir/Patient"}}""")]
    [InlineData("""{"link":[{"url":"http://fhir.example/fhir/Patient"}]}""")]
    [InlineData("""[{"resourceType":"Bundle","link":[]}]""")]
    public void Rewrite_NotAJsonBundleWithLinks_ReturnsNull(string json) => Assert.Null(Rewrite(json));

    [Theory]
    [InlineData("""{"resourceType":"Bundle","link":[{"url":"http://evil.example/x"}""")]
    [InlineData("""{"resourceType":"Bundle","link":[{"url":"http://evil.example/x"} trailing""")]
    [InlineData("""{"resourceType":"Bundle" // comment""")]
    [InlineData("""{"link":[{"url":"http://fhir.example/fhir/Patient"}],"resourceType":"Bundle"} trailing""")]
    [InlineData("""{"resourceType":"Bundle","entry":[{]}],"link":[]}""")]
    [InlineData("""{"resourceType":"Patient","id":"1"} trailing""")]
    [InlineData("")]
    public void Rewrite_MalformedJsonUpToTheLinks_Throws(string json) => Assert.ThrowsAny<System.Text.Json.JsonException>(() => Rewrite(json));

    [Fact]
    public void Rewrite_LinksFirst_RestRelayedAsSentWithoutBeingRead() =>
        Assert.Equal(
            $$"""{"resourceType":"Bundle","link":[{"url":"{{Rewritten}}"}],"entry":[{"resource": not json}]} trailing""",
            Rewrite($$"""{"resourceType":"Bundle","link":[{"url":"{{Inside}}"}],"entry":[{"resource": not json}]} trailing"""));

    [Fact]
    public void Rewrite_LinkNotFirstAndResourceTypeLast_RewritesAndCopiesTheRestByteForByte() =>
        Assert.Equal(
            $$"""{"type":"searchset","total":1.0e1,"link":[{"relation":"self","url":"{{Rewritten}}","extension":[{"url":"x"}]}],"resourceType":"Bundle"}""",
            Rewrite($$"""{"type":"searchset","total":1.0e1,"link":[{"relation":"self","url":"{{Inside}}","extension":[{"url":"x"}]}],"resourceType":"Bundle"}"""));

    [Fact]
    public void Rewrite_NestedLinkArraysInEntries_Untouched()
    {
        var entry = """{"resource":{"resourceType":"Bundle","link":[{"relation":"self","url":"http://evil.example/inner"},{"url":"http://fhir.example/fhir/Patient"}]}},{"resource":{"resourceType":"Patient","link":[{"other":{"reference":"Patient/2"},"type":"seealso"}]}}""";

        Assert.Equal(
            $$"""{"resourceType":"Bundle","link":[{"url":"{{Rewritten}}"}],"entry":[{{entry}}]}""",
            Rewrite($$"""{"resourceType":"Bundle","link":[{"url":"{{Inside}}"}],"entry":[{{entry}}]}"""));
    }

    [Fact]
    public void Rewrite_EscapedUrlAndPropertyName_UnescapedBeforeTheRuleAndEscapedInTheOutput()
    {
        var output = Rewrite("""{"resourceType":"Bundle","link":[{"relation":"next","\u0075rl":"http:\/\/fhir.example\/fhir\/Observation?code=a\u0026b"}]}""")!;

        var url = JsonDocument.Parse(output).RootElement.GetProperty("link")[0].GetProperty("url").GetString();
        Assert.Equal("https://gw.example/api/fhir/p/Observation?code=a&b", url);
    }

    [Theory]
    [InlineData("code=a&b", "code=a&b")] // nothing to escape: the bytes as they are, & not \u0026
    [InlineData("code=a\\\"b", "code=a%22b")] // a quote in the query: percent-encoded by the link's parse
    public void Rewrite_RewrittenUrl_WrittenAsItComesOutOfTheRule(string query, string written)
    {
        var output = Rewrite($$"""{"resourceType":"Bundle","link":[{"relation":"next","url":"http://fhir.example/fhir/Observation?{{query}}"}]}""")!;

        Assert.Equal($$"""{"resourceType":"Bundle","link":[{"relation":"next","url":"https://gw.example/api/fhir/p/Observation?{{written}}"}]}""", output);
        Assert.NotNull(JsonDocument.Parse(output).RootElement.GetProperty("link")[0].GetProperty("url").GetString());
    }

    [Theory]
    [InlineData("[OUT,IN,IN]", "[IN,IN]")]
    [InlineData("[IN,OUT,IN]", "[IN,IN]")]
    [InlineData("[IN,IN,OUT]", "[IN,IN]")]
    [InlineData("[IN,OUT,OUT,IN,OUT]", "[IN,IN]")]
    [InlineData("[OUT,OUT]", "[]")]
    [InlineData("[OUT]", "[]")]
    [InlineData("[ OUT , IN ]", "[ IN ]")]
    [InlineData("[ IN , OUT ]", "[ IN ]")]
    [InlineData("[]", "[]")]
    [InlineData("[1,OUT,\"s\",{\"relation\":\"self\"},{\"url\":2}]", "[1,\"s\",{\"relation\":\"self\"},{\"url\":2}]")]
    public void Rewrite_LinkOutsideTheBase_RemovedWithOneComma(string links, string expected)
    {
        static string Expand(string array, string inside) => array
            .Replace("OUT", """{"relation":"other","url":"http://evil.example/fhir/Patient"}""", StringComparison.Ordinal)
            .Replace("IN", $$"""{"relation":"next","url":"{{inside}}"}""", StringComparison.Ordinal);

        Assert.Equal(
            $$"""{"resourceType":"Bundle","link":{{Expand(expected, Rewritten)}},"entry":[]}""",
            Rewrite($$"""{"resourceType":"Bundle","link":{{Expand(links, Inside)}},"entry":[]}"""));
    }

    [Fact]
    public void Rewrite_LinkWithTwoUrlsOneOutside_Removed() =>
        Assert.Equal(
            """{"resourceType":"Bundle","link":[]}""",
            Rewrite($$"""{"resourceType":"Bundle","link":[{"url":"{{Inside}}","url":"http://evil.example/x"}]}"""));

    [Fact]
    public void Rewrite_PrettyPrinted_WhitespaceKept()
    {
        const string Pretty = """
            {
              "resourceType" : "Bundle",
              "link" : [ {
                "relation" : "self",
                "url" : "URL"
              }, {
                "relation" : "other",
                "url" : "http://evil.example/x"
              } ],
              "entry" : [ {
                "fullUrl" : "http://fhir.example/fhir/Patient/1"
              } ]
            }
            """;

        Assert.Equal(
            Pretty.Replace("URL", Rewritten, StringComparison.Ordinal).Replace("""
                , {
                    "relation" : "other",
                    "url" : "http://evil.example/x"
                  }
                """.ReplaceLineEndings(Environment.NewLine), "", StringComparison.Ordinal),
            Rewrite(Pretty.Replace("URL", Inside, StringComparison.Ordinal)));
    }

    [Fact]
    public void Rewrite_LargeBundle_OnlyTheLinksChange()
    {
        var entries = string.Join(",", Enumerable.Range(0, 20_000).Select(i =>
            $$$$"""{"fullUrl":"http://fhir.example/fhir/Observation/{{{{i}}}}","resource":{"resourceType":"Observation","id":"{{{{i}}}}","valueQuantity":{"value":{{{{i}}}}.0}}}"""));
        var bundle = $$"""{"resourceType":"Bundle","link":[{"relation":"self","url":"{{Inside}}"}],"entry":[{{entries}}]}""";

        Assert.Equal(bundle.Replace(Inside, Rewritten, StringComparison.Ordinal), Rewrite(bundle));
    }

    [Fact]
    public void Rewrite_NonAsciiOutsideTheLinks_CopiedAsSent() =>
        Assert.Equal(
            $$$"""{"resourceType":"Bundle","link":[{"url":"{{{Rewritten}}}"}],"entry":[{"resource":{"resourceType":"Patient","name":[{"family":"Müller\u00e9 李"}]}}]}""",
            Rewrite($$$"""{"resourceType":"Bundle","link":[{"url":"{{{Inside}}}"}],"entry":[{"resource":{"resourceType":"Patient","name":[{"family":"Müller\u00e9 李"}]}}]}"""));

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a\"b\\c\td\u0001", "\"a\\u0022b\\\\c\\td\\u0001\"")] // what JSON must escape, escaped
    [InlineData("é&<", "\"é&<\"")] // the rest as UTF-8 as it is
    public void JsonSplice_Replace_EscapesOnlyWhatJsonNeeds(string value, string written)
    {
        var json = Encoding.UTF8.GetBytes("""{"url":"x","n":1}""");
        var splice = new JsonSplice();
        splice.Replace(7, 10, value);

        using var output = splice.Apply(json);

        var text = Encoding.UTF8.GetString(output.Span);
        Assert.Equal($$"""{"url":{{written}},"n":1}""", text);
        Assert.Equal(value, JsonDocument.Parse(text).RootElement.GetProperty("url").GetString());
    }

    private static string? Rewrite(string json)
    {
        using var rewritten = BundleLinkRewriter.Rewrite(Encoding.UTF8.GetBytes(json), Links);
        return rewritten is null ? null : Encoding.UTF8.GetString(rewritten.Span);
    }
}
