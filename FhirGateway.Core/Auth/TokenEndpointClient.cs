using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FhirGateway.Core.Errors;

namespace FhirGateway.Core.Auth;

/// <summary>
/// POSTs to a platform's token and revocation endpoints through <see cref="SmartHttpClients.TokenEndpoint"/>
/// (no retries). A refusal (RFC 6749 §5.2) is an <see cref="OAuthRefusedException"/>; a failure, a 5xx or a
/// malformed answer is an <see cref="AuthorizationServerException"/> (502), a timeout one with 504.
/// </summary>
internal sealed class TokenEndpointClient(IHttpClientFactory httpClientFactory, TimeProvider time)
{
    /// <summary>Exchanges an authorization code (RFC 6749 §4.1.3, with the PKCE verifier of RFC 7636 §4.5).</summary>
    public Task<TokenResponse> ExchangeCodeAsync(SmartClient client, string code, string redirectUri, string codeVerifier, CancellationToken cancellationToken) =>
        RequestTokenAsync(client, new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = codeVerifier,
        }, cancellationToken);

    /// <summary>Refreshes (RFC 6749 §6). No <c>scope</c>: the same scopes as granted.</summary>
    public Task<TokenResponse> RefreshAsync(SmartClient client, string refreshToken, CancellationToken cancellationToken) =>
        RequestTokenAsync(client, new()
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
        }, cancellationToken);

    /// <summary>Revokes a token (RFC 7009 §2.1); the server answers 200 even for unknown tokens (§2.2).</summary>
    public async Task RevokeAsync(SmartClient client, string revokeUrl, string token, string tokenTypeHint, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(client, revokeUrl, new()
        {
            ["token"] = token,
            ["token_type_hint"] = tokenTypeHint,
        }, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await RefusalOrFailureAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<TokenResponse> RequestTokenAsync(SmartClient client, Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(client, client.Endpoints.TokenUrl, form, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await RefusalOrFailureAsync(response, cancellationToken).ConfigureAwait(false);
        }

        TokenResponse? token;
        try
        {
            token = await response.Content.ReadFromJsonAsync(SmartAuthJsonContext.Default.TokenResponse, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new AuthorizationServerException(HttpStatusCode.BadGateway, $"Platform '{client.PlatformId}' sent a token response that is not JSON.", e);
        }

        // RFC 6749 §5.1: access_token and token_type are required.
        return token is { AccessToken.Length: > 0, TokenType.Length: > 0 }
            ? token
            : throw new AuthorizationServerException(HttpStatusCode.BadGateway, $"Platform '{client.PlatformId}' sent a token response without access_token or token_type.");
    }

    private async Task<HttpResponseMessage> SendAsync(SmartClient client, string url, Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        request.Headers.Accept.ParseAdd("application/json");
        ClientAuthentication.Apply(client, request, form, time.GetUtcNow());
        request.Content = new FormUrlEncodedContent(form);
        try
        {
            var httpClient = httpClientFactory.CreateClient(SmartHttpClients.TokenEndpoint);
            return await httpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AuthorizationServerException(HttpStatusCode.GatewayTimeout, $"Platform '{client.PlatformId}' did not answer in time at its {Endpoint(client, url)} endpoint; try again shortly.", e);
        }
        catch (HttpRequestException e)
        {
            throw new AuthorizationServerException(HttpStatusCode.BadGateway, $"Platform '{client.PlatformId}' could not be reached at its {Endpoint(client, url)} endpoint; try again shortly.", e);
        }
    }

    private static async Task<Exception> RefusalOrFailureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status is >= 400 and < 500)
        {
            try
            {
                var error = await response.Content.ReadFromJsonAsync(SmartAuthJsonContext.Default.OAuthErrorResponse, cancellationToken).ConfigureAwait(false);
                if (error?.Error is not null)
                {
                    return new OAuthRefusedException(OAuthText.Error(error.Error), OAuthText.Description(error.ErrorDescription));
                }
            }
            catch (Exception e) when (e is JsonException or NotSupportedException)
            {
                // Not an OAuth error document: fall through to a plain failure.
            }
        }

        var gatewayStatus = response.StatusCode == HttpStatusCode.GatewayTimeout ? HttpStatusCode.GatewayTimeout : HttpStatusCode.BadGateway;
        return new AuthorizationServerException(gatewayStatus, $"The platform's authorization server answered HTTP {status}{(status >= 500 ? "; try again shortly" : "")}.");
    }

    private static string Endpoint(SmartClient client, string url) =>
        string.Equals(url, client.Endpoints.TokenUrl, StringComparison.Ordinal) ? "token" : "revocation";
}
