using System.Collections.Concurrent;
using System.Net;
using FhirGateway.Core.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FhirGateway.Core.Auth;

/// <summary>
/// Reads <c>fhirUser</c> from an id_token only after verifying it (OpenID Connect Core 1.0 §3.1.3.7): signature
/// against the issuer's JWKS, <c>iss</c>, <c>aud</c> = client id, <c>exp</c>, and the <c>nonce</c> sent.
/// SMART App Launch 2.2 §2.0.10 puts the user in <c>fhirUser</c>; SMART v1 servers used <c>profile</c>.
/// </summary>
internal sealed partial class IdTokenValidator(IHttpClientFactory httpClientFactory, TimeProvider time, ILogger<IdTokenValidator> logger)
{
    private static readonly TimeSpan KeysLifetime = TimeSpan.FromHours(1);
    private static readonly TimeSpan MinRefetchInterval = TimeSpan.FromMinutes(1);
    private static readonly JsonWebTokenHandler Handler = new();

    private readonly ConcurrentDictionary<string, (JsonWebKeySet Keys, DateTimeOffset FetchedAt)> _keys = new(StringComparer.Ordinal);

    /// <summary>
    /// The verified id_token's <c>fhirUser</c>. Null when the issuer or its keys cannot be learned (then nothing of
    /// the id_token is used). A token that fails verification throws: the login is refused.
    /// </summary>
    public async Task<string?> ReadFhirUserAsync(SmartClient client, string idToken, string? issuer, string? nonce, CancellationToken cancellationToken)
    {
        if (issuer is null || client.Endpoints.JwksUri is not { } jwksUri)
        {
            SmartAuthLog.IdTokenUnverifiable(logger, client.PlatformId);
            return null;
        }

        var keys = await GetKeysAsync(client.PlatformId, jwksUri, forceRefresh: false, cancellationToken).ConfigureAwait(false);
        var result = keys is null ? null : await ValidateAsync(idToken, issuer, client.ClientId, keys).ConfigureAwait(false);
        if (result is { IsValid: false, Exception: SecurityTokenSignatureKeyNotFoundException })
        {
            // The issuer may have rotated its keys since they were cached.
            keys = await GetKeysAsync(client.PlatformId, jwksUri, forceRefresh: true, cancellationToken).ConfigureAwait(false);
            result = keys is null ? null : await ValidateAsync(idToken, issuer, client.ClientId, keys).ConfigureAwait(false);
        }

        if (result is null)
        {
            SmartAuthLog.IdTokenUnverifiable(logger, client.PlatformId);
            return null;
        }

        if (!result.IsValid)
        {
            SmartAuthLog.IdTokenRejected(logger, client.PlatformId, result.Exception?.GetType().Name ?? "invalid");
            throw new AuthorizationServerException(HttpStatusCode.BadGateway, $"Platform '{client.PlatformId}' sent an id_token that failed verification; please log in again.");
        }

        var claims = result.Claims;
        if (nonce is not null && !(claims.TryGetValue("nonce", out var sent) && string.Equals(sent as string, nonce, StringComparison.Ordinal)))
        {
            SmartAuthLog.IdTokenRejected(logger, client.PlatformId, "nonce");
            throw new AuthorizationServerException(HttpStatusCode.BadGateway, $"Platform '{client.PlatformId}' sent an id_token for another login; please log in again.");
        }

        return (claims.TryGetValue("fhirUser", out var fhirUser) ? fhirUser as string : null)
            ?? (claims.TryGetValue("profile", out var profile) ? profile as string : null);
    }

    private static Task<TokenValidationResult> ValidateAsync(string idToken, string issuer, string clientId, JsonWebKeySet keys) =>
        Handler.ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = clientId,
            IssuerSigningKeys = keys.GetSigningKeys(),
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromMinutes(2),
            // Asymmetric only: an HMAC id_token would be keyed with the client secret, which a public client lacks.
            ValidAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"],
        });

    private async Task<JsonWebKeySet?> GetKeysAsync(string platformId, string jwksUri, bool forceRefresh, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_keys.TryGetValue(jwksUri, out var cached)
            && (forceRefresh ? now - cached.FetchedAt < MinRefetchInterval : now - cached.FetchedAt < KeysLifetime))
        {
            return cached.Keys;
        }

        try
        {
            using var httpClient = httpClientFactory.CreateClient(SmartHttpClients.Metadata);
            var json = await httpClient.GetStringAsync(new Uri(jwksUri), cancellationToken).ConfigureAwait(false);
            var keys = new JsonWebKeySet(json);
            _keys[jwksUri] = (keys, now);
            return keys;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ArgumentException or UriFormatException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            SmartAuthLog.JwksFailed(logger, platformId, e.GetType().Name);
            return cached.Keys;
        }
    }
}
