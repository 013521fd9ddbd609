using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using FhirGateway.Testing;

namespace FhirGateway.Api.Tests.Fhir;

/// <summary>
/// Operations ($everything, $validate, bulk $export), FHIRPath Patch and the patient compartment through the gateway,
/// each compared with what the sandbox answers directly to the same token.
/// </summary>
public sealed class FhirOperationTests(FhirGatewayFixture fixture) : IClassFixture<FhirGatewayFixture>
{
    private const string PayerApi = "/api/fhir/local-sandbox";
    private const string SecondPatientId = "1b2c3d4e-5f60-4718-9a0b-c1d2e3f40516";
    private static readonly string PatientId = SandboxServers.PatientId;

    private string GatewayPayer => fixture.Gateway.BaseAddress.AbsoluteUri.TrimEnd('/') + PayerApi;

    [Fact]
    public async Task Everything_PagedThroughRewrittenLinks_SameResourcesAsTheSandbox()
    {
        using var session = await ConnectedAsync();
        using var direct = await DirectAsync(session, $"Patient/{PatientId}/$everything?_count=1000");
        var expected = Keys(await FhirSession.JsonAsync(direct));

        var seen = new List<string>();
        string? next = $"{PayerApi}/Patient/{PatientId}/$everything?_count=10";
        while (next is not null)
        {
            using var page = await session.Http.GetAsync(new Uri(next, UriKind.RelativeOrAbsolute));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var bundle = await FhirSession.JsonAsync(page);
            Assert.Equal("searchset", bundle.GetProperty("type").GetString());
            Assert.All(bundle.GetProperty("link").EnumerateArray(), l =>
                Assert.StartsWith($"{GatewayPayer}/Patient/{PatientId}/$everything?", l.GetProperty("url").GetString(), StringComparison.Ordinal));
            seen.AddRange(Keys(bundle));
            next = Link(bundle, "next");
        }

        Assert.Contains($"Patient/{PatientId}", expected);
        Assert.True(expected.Count > 40, $"{expected.Count} resources");
        Assert.Equal(expected.Order(), seen.Order());
        Assert.DoesNotContain(seen, k => k.StartsWith("Patient/", StringComparison.Ordinal) && k != $"Patient/{PatientId}");
    }

    [Fact]
    public async Task Validate_ValidAndInvalidResource_OperationOutcomeAgreesWithTheSandbox()
    {
        using var session = await ConnectedAsync();
        const string Valid = """{"resourceType":"Observation","status":"final","code":{"text":"weight"}}""";
        const string Invalid = """{"resourceType":"Parameters","parameter":[{"name":"resource","resource":{"resourceType":"Observation","status":"final","bogus":1}}]}""";

        using var ok = await session.SendAsync(HttpMethod.Post, $"{PayerApi}/Observation/$validate", Valid);
        using var bad = await session.SendAsync(HttpMethod.Post, $"{PayerApi}/Observation/$validate", Invalid);
        using var directBad = await DirectAsync(session, "Observation/$validate", HttpMethod.Post, Invalid);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var allOk = (await FhirSession.JsonAsync(ok)).GetProperty("issue");
        Assert.Equal("information", Assert.Single(allOk.EnumerateArray()).GetProperty("severity").GetString());
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        var issues = (await FhirSession.JsonAsync(bad)).GetProperty("issue").EnumerateArray().ToList();
        Assert.All(issues, i => Assert.Equal("error", i.GetProperty("severity").GetString()));
        Assert.Contains(issues, i => i.GetProperty("expression")[0].GetString() == "Observation.code");
        Assert.Contains(issues, i => i.GetProperty("expression")[0].GetString() == "Observation.bogus");
        Assert.Equal((await FhirSession.JsonAsync(directBad)).GetRawText(), (await FhirSession.JsonAsync(bad)).GetRawText());
    }

    [Fact]
    public async Task Export_KickOffPollAndDownload_EveryUrlThroughTheGateway()
    {
        using var session = await ConnectedAsync();

        using var kickOff = await session.SendAsync(HttpMethod.Get, $"{PayerApi}/Patient/$export?_type=Patient,Observation",
            configure: r => r.Headers.Add("Prefer", "respond-async"));

        Assert.Equal(HttpStatusCode.Accepted, kickOff.StatusCode);
        var status = kickOff.Content.Headers.ContentLocation?.OriginalString ?? "";
        Assert.StartsWith($"{GatewayPayer}/_page?url=", status, StringComparison.Ordinal);

        using var pending = await session.Http.GetAsync(new Uri(status));
        Assert.Equal(HttpStatusCode.Accepted, pending.StatusCode);
        Assert.StartsWith("in-progress", pending.Headers.GetValues("X-Progress").Single(), StringComparison.Ordinal);
        Assert.NotNull(pending.Headers.RetryAfter?.Delta);

        var manifest = await PollAsync(session, status, pending.Headers.RetryAfter!.Delta!.Value);
        Assert.Equal($"{GatewayPayer}/Patient/$export?_type=Patient,Observation", manifest.GetProperty("request").GetString());
        Assert.True(manifest.GetProperty("requiresAccessToken").GetBoolean());
        var files = manifest.GetProperty("output").EnumerateArray()
            .ToDictionary(o => o.GetProperty("type").GetString()!, o => o.GetProperty("url").GetString()!);
        Assert.Equal(["Observation", "Patient"], files.Keys.Order());
        Assert.All(files.Values, url => Assert.StartsWith($"{GatewayPayer}/_page?url=", url, StringComparison.Ordinal));

        using var observations = await session.Http.GetAsync(new Uri(files["Observation"]));
        Assert.Equal(HttpStatusCode.OK, observations.StatusCode);
        Assert.Equal("application/fhir+ndjson", observations.Content.Headers.ContentType?.MediaType);
        var lines = (await observations.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length >= 29, $"{lines.Length} Observations");
        Assert.All(lines, line => Assert.Equal($"Patient/{PatientId}",
            JsonDocument.Parse(line).RootElement.GetProperty("subject").GetProperty("reference").GetString()));

        // The file is the platform's: the same bytes as fetched directly with the platform token.
        var upstreamUrl = Uri.UnescapeDataString(files["Observation"].Split("url=")[1]);
        using var direct = await DirectAsync((await session.ConnectionAsync()).AccessToken, new Uri(upstreamUrl));
        Assert.Equal(await direct.Content.ReadAsStringAsync(), string.Join('\n', lines) + "\n");
    }

    [Fact]
    public async Task FhirPathPatch_ReplaceAddInsertDelete_AgreesWithTheSandbox()
    {
        using var session = await ConnectedAsync();
        var observation = $$"""{"resourceType":"Observation","status":"preliminary","code":{"text":"Body weight"},"subject":{"reference":"Patient/{{PatientId}}"},"valueQuantity":{"value":70,"unit":"kg"},"note":[{"text":"second"}]}""";
        using var created = await session.SendAsync(HttpMethod.Post, $"{PayerApi}/Observation", observation);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await FhirSession.JsonAsync(created)).GetProperty("id").GetString()!;
        const string Patch = """
            {"resourceType":"Parameters","parameter":[
              {"name":"operation","part":[{"name":"type","valueCode":"replace"},{"name":"path","valueString":"Observation.status"},{"name":"value","valueCode":"final"}]},
              {"name":"operation","part":[{"name":"type","valueCode":"replace"},{"name":"path","valueString":"Observation.valueQuantity.value"},{"name":"value","valueDecimal":72.5}]},
              {"name":"operation","part":[{"name":"type","valueCode":"add"},{"name":"path","valueString":"Observation"},{"name":"name","valueString":"issued"},{"name":"value","valueInstant":"2025-02-01T10:00:00Z"}]},
              {"name":"operation","part":[{"name":"type","valueCode":"insert"},{"name":"path","valueString":"Observation.note"},{"name":"index","valueInteger":0},{"name":"value","valueAnnotation":{"text":"first"}}]},
              {"name":"operation","part":[{"name":"type","valueCode":"delete"},{"name":"path","valueString":"Observation.note[1]"}]}]}
            """;

        using var patched = await session.SendAsync(HttpMethod.Patch, $"{PayerApi}/Observation/{id}", Patch);
        using var badPath = await session.SendAsync(HttpMethod.Patch, $"{PayerApi}/Observation/{id}",
            """{"resourceType":"Parameters","parameter":[{"name":"operation","part":[{"name":"type","valueCode":"delete"},{"name":"path","valueString":"Observation.note.where(text='x')"}]}]}""");
        using var directRead = await DirectAsync(session, $"Observation/{id}");

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("W/\"2\"", patched.Headers.ETag?.ToString());
        var result = await FhirSession.JsonAsync(patched);
        Assert.Equal("final", result.GetProperty("status").GetString());
        Assert.Equal(72.5m, result.GetProperty("valueQuantity").GetProperty("value").GetDecimal());
        Assert.Equal("2025-02-01T10:00:00Z", result.GetProperty("issued").GetString());
        Assert.Equal("first", Assert.Single(result.GetProperty("note").EnumerateArray()).GetProperty("text").GetString());
        Assert.Equal((await FhirSession.JsonAsync(directRead)).GetRawText(), result.GetRawText());
        await FhirApiTests.AssertOutcomeAsync(badPath, HttpStatusCode.BadRequest);

        using var deleted = await session.SendAsync(HttpMethod.Delete, $"{PayerApi}/Observation/{id}");
        Assert.True(deleted.IsSuccessStatusCode);
    }

    [Fact]
    public async Task PatientScopedSession_SecondPatient_ForbiddenAndAbsentFromSearches()
    {
        using var session = await ConnectedAsync();

        using var read = await session.Http.GetAsync(new Uri($"{PayerApi}/Patient/{SecondPatientId}", UriKind.Relative));
        using var everything = await session.Http.GetAsync(new Uri($"{PayerApi}/Patient/{SecondPatientId}/$everything", UriKind.Relative));
        using var patients = await session.Http.GetAsync(new Uri($"{PayerApi}/Patient", UriKind.Relative));
        using var theirs = await session.Http.GetAsync(new Uri($"{PayerApi}/Observation?patient={SecondPatientId}", UriKind.Relative));
        using var direct = await DirectAsync(session, $"Patient/{SecondPatientId}");

        await FhirApiTests.AssertOutcomeAsync(read, HttpStatusCode.Forbidden);
        await FhirApiTests.AssertOutcomeAsync(everything, HttpStatusCode.Forbidden);
        Assert.Equal(direct.StatusCode, read.StatusCode);
        Assert.Equal([$"Patient/{PatientId}"], Keys(await FhirSession.JsonAsync(patients)));
        Assert.Equal(0, (await FhirSession.JsonAsync(theirs)).GetProperty("total").GetInt32());
    }

    /// <summary>Follows the status URL, waiting as the platform's Retry-After says, until the manifest is ready.</summary>
    private static async Task<JsonElement> PollAsync(FhirSession session, string status, TimeSpan retryAfter)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(retryAfter);
            using var poll = await session.Http.GetAsync(new Uri(status));
            if (poll.StatusCode == HttpStatusCode.OK)
            {
                return await FhirSession.JsonAsync(poll);
            }

            Assert.Equal(HttpStatusCode.Accepted, poll.StatusCode);
            retryAfter = poll.Headers.RetryAfter?.Delta ?? retryAfter;
        }

        throw new TimeoutException("The export did not finish in 30 s.");
    }

    private async Task<FhirSession> ConnectedAsync()
    {
        var session = new FhirSession(fixture);
        await session.ConnectAsync();
        return session;
    }

    private async Task<HttpResponseMessage> DirectAsync(FhirSession session, string path, HttpMethod? method = null, string? json = null) =>
        await DirectAsync((await session.ConnectionAsync()).AccessToken, new Uri($"{fixture.Sandbox.FhirBase()}/{path}"), method, json);

    private static async Task<HttpResponseMessage> DirectAsync(string token, Uri url, HttpMethod? method = null, string? json = null)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/fhir+json");
        }

        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static List<string> Keys(JsonElement bundle) =>
        bundle.TryGetProperty("entry", out var entries)
            ? entries.EnumerateArray().Select(e => e.GetProperty("resource")).Select(r => $"{r.GetProperty("resourceType").GetString()}/{r.GetProperty("id").GetString()}").ToList()
            : [];

    private static string? Link(JsonElement bundle, string relation) =>
        bundle.GetProperty("link").EnumerateArray().Where(l => l.GetProperty("relation").GetString() == relation)
            .Select(l => l.GetProperty("url").GetString()).FirstOrDefault();
}
