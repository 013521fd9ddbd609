using FhirGateway.Core.Platforms;

namespace FhirGateway.Core.Tests.Platforms;

/// <summary>A broken platform file stops loading with a message naming the file and the field; never skipped.</summary>
public sealed class PlatformFileValidationTests
{
    [Fact]
    public void Load_ValidFile_Loads()
    {
        using var folder = new TempPlatformFolder().With("acme.json", TempPlatformFolder.Valid("acme"));

        var registry = folder.Load();

        Assert.Equal("acme", Assert.Single(registry.All).Id);
    }

    [Fact]
    public void Load_BadJson_NamesFileAndLine()
    {
        using var folder = new TempPlatformFolder()
            .With("good.json", TempPlatformFolder.Valid("good"))
            .With("broken.json", "{\n  \"id\": \"broken\",\n  \"name\": \n}");

        var e = Assert.Throws<PlatformRegistryException>(() => folder.Load());

        var problem = Assert.Single(e.Problems);
        Assert.Contains("broken.json", problem, StringComparison.Ordinal);
        Assert.Contains("line 4", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"registration\": \"required\",", "", "registration")]
    [InlineData("\"type\": \"payer\"", "\"type\": \"insurer\"", "/type")]
    [InlineData("\"fhir_base_url\": \"https://acme.example.test/fhir\"", "\"fhir_base_url\": 42", "/fhir_base_url")]
    [InlineData("\"fhir_base_url\"", "\"fhir_base_ur\"", "/fhir_base_ur")]
    [InlineData("\"token_url\": \"https://acme.example.test/token\"", "\"token_url\": true", "/oauth/token_url")]
    [InlineData("\"status\": \"active\"", "\"status\": \"retired\"", "/status")]
    [InlineData("\"id\": \"acme\"", "\"id\": \"Acme Corp\"", "/id")]
    public void Load_SchemaViolation_NamesFileAndPointer(string valid, string broken, string expectedField)
    {
        using var folder = new TempPlatformFolder().With("acme.json", TempPlatformFolder.Valid("acme").Replace(valid, broken, StringComparison.Ordinal));

        var e = Assert.Throws<PlatformRegistryException>(() => folder.Load());

        Assert.Contains(e.Problems, p => p.Contains("acme.json", StringComparison.Ordinal) && p.Contains(expectedField, StringComparison.Ordinal));
        Assert.Contains("acme.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_IdNotMatchingFileName_NamesFileAndId()
    {
        using var folder = new TempPlatformFolder().With("acme.json", TempPlatformFolder.Valid("other"));

        var e = Assert.Throws<PlatformRegistryException>(() => folder.Load());

        var problem = Assert.Single(e.Problems);
        Assert.Contains("acme.json: /id", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AliasUsedTwice_NamesFileAndAlias()
    {
        using var folder = new TempPlatformFolder()
            .With("acme.json", TempPlatformFolder.Valid("acme", "\"aliases\": [\"roadrunner\"]"))
            .With("zenith.json", TempPlatformFolder.Valid("zenith", "\"aliases\": [\"other\", \"Roadrunner\"]"));

        var e = Assert.Throws<PlatformRegistryException>(() => folder.Load());

        var problem = Assert.Single(e.Problems);
        Assert.Contains("zenith.json: /aliases/1", problem, StringComparison.Ordinal);
        Assert.Contains("acme", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AliasIsAnotherPlatformsId_Fails()
    {
        using var folder = new TempPlatformFolder()
            .With("acme.json", TempPlatformFolder.Valid("acme"))
            .With("zenith.json", TempPlatformFolder.Valid("zenith", "\"aliases\": [\"ACME\"]"));

        var e = Assert.Throws<PlatformRegistryException>(() => folder.Load());

        Assert.Contains("zenith.json: /aliases/0", Assert.Single(e.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SeveralBrokenFiles_ReportsEveryOne()
    {
        using var folder = new TempPlatformFolder()
            .With("one.json", "not json")
            .With("two.json", TempPlatformFolder.Valid("two").Replace("\"payer\"", "\"bank\"", StringComparison.Ordinal));

        var e = Assert.Throws<PlatformRegistryException>(() => folder.Load());

        Assert.Contains(e.Problems, p => p.Contains("one.json", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("two.json: /type", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_EmptyFolder_NamesTheSetting()
    {
        using var folder = new TempPlatformFolder().With("platform.schema.json", "{}");

        var e = Assert.Throws<PlatformRegistryException>(() => folder.Load());

        Assert.Contains(PlatformRegistryOptions.PathKey, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFolder_NamesTheSetting()
    {
        var e = Assert.Throws<PlatformRegistryException>(() =>
            PlatformRegistry.Load(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")), TempPlatformFolder.Configuration()));

        Assert.Contains(PlatformRegistryOptions.PathKey, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ScopesAsObjectWithoutConfidentialList_Fails()
    {
        using var folder = new TempPlatformFolder().With("acme.json", TempPlatformFolder.Valid("acme")
            .Replace("\"token_url\": \"https://acme.example.test/token\"", "\"token_url\": \"https://acme.example.test/token\", \"scopes\": {\"public_client\": [\"openid\"]}", StringComparison.Ordinal));

        var e = Assert.Throws<PlatformRegistryException>(() => folder.Load());

        Assert.Contains(e.Problems, p => p.Contains("acme.json: /oauth/scopes", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ManyFilesSomeBroken_ListsEveryBrokenFileInNameOrder()
    {
        // Files are validated in parallel: the start-up error must still list every broken file, each once, in
        // file-name order, and load the rest exactly as a sequential read would.
        using var folder = new TempPlatformFolder();
        for (var i = 0; i < 300; i++)
        {
            var id = $"p{i:D3}";
            folder.With(id + ".json", i % 37 == 5 ? TempPlatformFolder.Valid(id).Replace("\"type\": \"payer\"", "\"type\": \"insurer\"", StringComparison.Ordinal) : TempPlatformFolder.Valid(id));
        }

        var e = Assert.Throws<PlatformRegistryException>(() => folder.Load());

        string[] broken = [.. Enumerable.Range(0, 300).Where(i => i % 37 == 5).Select(i => $"p{i:D3}.json")];
        var named = e.Problems.Select(p => Path.GetFileName(p[..p.IndexOf(": ", StringComparison.Ordinal)])).ToList();
        Assert.Equal(broken, named.Distinct());
        Assert.Equal(named.Order(StringComparer.Ordinal), named);
        Assert.All(e.Problems, p => Assert.Contains("/type", p, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ManyValidFiles_LoadsEveryOneOrderedById()
    {
        using var folder = new TempPlatformFolder();
        for (var i = 299; i >= 0; i--)
        {
            folder.With($"p{i:D3}.json", TempPlatformFolder.Valid($"p{i:D3}"));
        }

        var registry = folder.Load();

        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"p{i:D3}"), registry.All.Select(p => p.Id));
    }
}
