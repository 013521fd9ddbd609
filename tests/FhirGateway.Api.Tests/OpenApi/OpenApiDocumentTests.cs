using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace FhirGateway.Api.Tests.OpenApi;

/// <summary>The OpenAPI document at /openapi/v1.json and the Scalar reference at /scalar.</summary>
public sealed partial class OpenApiDocumentTests(PlatformsApiFactory factory) : IClassFixture<PlatformsApiFactory>
{
    /// <summary>
    /// Routes the document leaves out on purpose: health probes, the OAuth redirect URI (a browser lands there,
    /// no client calls it), the FHIR catch-all (it only answers 404/405 precisely), the connections page and its
    /// files, and the document and reference themselves.
    /// </summary>
    private static readonly string[] Undocumented =
        ["/health", "/alive", "/oauth/callback", "/", "/connections", "/connections.js", "/connections.css", "/openapi/{documentName}.json"];

    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Document_EveryMappedRoute_IsDescribedWithItsMethods()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");
        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Path: PathOf(e.RoutePattern), Methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []))
            .Where(r => !Undocumented.Contains(r.Path) && !r.Path.Contains("{**", StringComparison.Ordinal) && !r.Path.StartsWith("/scalar", StringComparison.Ordinal))
            .ToList();

        Assert.True(routes.Count >= 30, $"only {routes.Count} routes found");
        var missing = routes
            .SelectMany(r => r.Methods.Select(m => (r.Path, Method: m.ToLowerInvariant())))
            .Where(r => !paths.TryGetProperty(r.Path, out var item) || !item.TryGetProperty(r.Method, out _))
            .Select(r => $"{r.Method.ToUpperInvariant()} {r.Path}")
            .ToList();
        Assert.True(missing.Count == 0, "Not in the OpenAPI document: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task Document_FhirRoutes_UseFhirJsonWithExamples()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");

        var read = paths.GetProperty("/api/fhir/{platform_id}/{type}/{id}").GetProperty("get").GetProperty("responses");
        Assert.Equal("Patient", Example(read, "200").GetProperty("resourceType").GetString());
        Assert.Equal("OperationOutcome", Example(read, "401").GetProperty("resourceType").GetString());
        Assert.Equal("login", Example(read, "401").GetProperty("issue")[0].GetProperty("code").GetString());

        var search = paths.GetProperty("/api/fhir/{platform_id}/{type}").GetProperty("get").GetProperty("responses");
        Assert.Equal("Bundle", Example(search, "200").GetProperty("resourceType").GetString());

        var create = paths.GetProperty("/api/fhir/{platform_id}/{type}").GetProperty("post");
        Assert.True(create.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/fhir+json", out _));
        Assert.Equal("Patient", Example(create.GetProperty("responses"), "201").GetProperty("resourceType").GetString());

        var patch = paths.GetProperty("/api/fhir/{platform_id}/{type}/{id}").GetProperty("patch").GetProperty("requestBody").GetProperty("content");
        Assert.True(patch.TryGetProperty("application/json-patch+json", out _));

        var notFound = paths.GetProperty("/api/platforms/{id}").GetProperty("get").GetProperty("responses");
        Assert.Equal("not-found", Example(notFound, "404").GetProperty("issue")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Scalar_Reference_AnswersHtmlWithNoncePolicy()
    {
        using var response = await _client.GetAsync(new Uri("/scalar/", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        var nonce = Nonce().Match(policy);
        Assert.True(nonce.Success, policy);
        Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", policy, StringComparison.Ordinal);
        // Every script tag carries the response's nonce, so the inline configuration script runs and nothing else inline does.
        var scripts = ScriptTag().Matches(html);
        Assert.NotEmpty(scripts);
        Assert.All(scripts, s => Assert.Contains($"nonce=\"{nonce.Groups[1].Value}\"", s.Value, StringComparison.Ordinal));
        Assert.Contains("openapi/v1.json", html, StringComparison.Ordinal);
    }

    private async Task<JsonElement> DocumentAsync()
    {
        using var response = await _client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static JsonElement Example(JsonElement responses, string status) =>
        responses.GetProperty(status).GetProperty("content").GetProperty("application/fhir+json").GetProperty("example");

    /// <summary>The route as OpenAPI writes it: parameters as <c>{name}</c>, no constraints, no trailing slash.</summary>
    private static string PathOf(RoutePattern pattern)
    {
        var segments = pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart { IsCatchAll: true } parameter => $"{{**{parameter.Name}}}",
            RoutePatternParameterPart parameter => $"{{{parameter.Name}}}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => "",
        })));
        return "/" + string.Join('/', segments.Where(s => s.Length > 0));
    }

    [GeneratedRegex("'nonce-([A-Za-z0-9_-]+)'")]
    private static partial Regex Nonce();

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTag();
}
