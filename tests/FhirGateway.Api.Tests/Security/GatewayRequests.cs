using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FhirGateway.Core.Identity;

namespace FhirGateway.Api.Tests.Security;

/// <summary>Requests as the security tests send them: with a bearer token, a gateway key, or nothing.</summary>
internal static class GatewayRequests
{
    public static HttpRequestMessage Get(Uri gateway, string path, string? token = null, string? key = null) =>
        Build(HttpMethod.Get, gateway, path, token, key);

    public static HttpRequestMessage Build(HttpMethod method, Uri gateway, string path, string? token = null, string? key = null)
    {
        var request = new HttpRequestMessage(method, new Uri(gateway, path));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (key is not null)
        {
            request.Headers.Add(GatewayKey.HeaderName, key);
        }

        return request;
    }

    /// <summary>The platform ids of <c>/auth/status</c>.</summary>
    public static async Task<IReadOnlyList<string>> ConnectionsAsync(HttpClient http, Uri gateway, string? token = null, string? key = null)
    {
        using var request = Get(gateway, "/auth/status", token, key);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("connections").EnumerateArray().Select(c => c.GetProperty("platform_id").GetString()!).ToList();
    }

    /// <summary>The OperationOutcome's first issue: its code and diagnostics.</summary>
    public static async Task<(string Code, string Diagnostics)> OutcomeAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("OperationOutcome", body.GetProperty("resourceType").GetString());
        var issue = body.GetProperty("issue")[0];
        return (issue.GetProperty("code").GetString()!, issue.GetProperty("diagnostics").GetString()!);
    }
}
