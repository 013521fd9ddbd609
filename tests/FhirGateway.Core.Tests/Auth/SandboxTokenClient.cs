using System.Net;
using FhirGateway.Testing;

namespace FhirGateway.Core.Tests.Auth;

/// <summary>Talks to the sandbox's token endpoint directly, as an attacker or another client would.</summary>
internal static class SandboxTokenClient
{
    public static async Task<HttpStatusCode> RefreshAsync(SandboxServers sandbox, string refreshToken)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(sandbox.AuthIssuer, "/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = SandboxServers.PublicClientId,
        }));
        return response.StatusCode;
    }
}
