using FhirGateway.Core.Tokens;

namespace FhirGateway.Core.Auth;

/// <summary>
/// SMART App Launch 2.2 standalone launch for any platform: authorization code with PKCE S256, the callback,
/// refresh, and logout. Shared by the REST and MCP front-ends; every failure is a
/// <see cref="Errors.GatewayException"/> with a message safe to show.
/// </summary>
public interface ISmartAuthorization
{
    /// <summary>
    /// Starts an authorization: stores the pending state (PKCE verifier, nonce, redirect URI) and returns the
    /// platform's authorize URL for the user's browser.
    /// </summary>
    /// <param name="owner">Whose connection this will be.</param>
    /// <param name="platformId">Platform id or alias.</param>
    /// <param name="scopes">Scopes to request; null for the platform's configured ones.</param>
    /// <param name="returnUrl">A local path to send the browser to after the callback; anything else is ignored.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    Task<AuthorizationStart> StartAsync(OwnerKey owner, string platformId, IReadOnlyList<string>? scopes = null, string? returnUrl = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes an authorization from the callback's query: checks state (single use, unexpired) and RFC 9207
    /// <c>iss</c>, exchanges the code, verifies the id_token, stores the connection and publishes
    /// <see cref="ConnectionEventKind.Connected"/>. A browser-session flow must be completed by that same session
    /// (<paramref name="caller"/>). On a token endpoint failure the pending state is kept for a retry until it expires.
    /// </summary>
    Task<AuthorizationCompleted> CompleteAsync(AuthorizationCallback callback, OwnerKey? caller, CancellationToken cancellationToken = default);

    /// <summary>
    /// The owner's connection, refreshed first when the access token expires within the refresh margin (or when
    /// <paramref name="forceRefresh"/>, e.g. after a 401 from the platform). Exactly one refresh per owner and
    /// platform runs across all replicas; concurrent callers take its result. Throws
    /// <see cref="Errors.AuthorizationRequiredException"/> when there is no usable connection.
    /// </summary>
    Task<PlatformConnection> GetConnectionAsync(OwnerKey owner, string platformId, bool forceRefresh = false, CancellationToken cancellationToken = default);

    /// <summary>Revokes at the platform where it has a revocation endpoint (best effort), then removes the local connection.</summary>
    Task<bool> LogoutAsync(OwnerKey owner, string platformId, CancellationToken cancellationToken = default);
}

/// <summary>An authorization just started.</summary>
/// <param name="PlatformId">The platform's id (an alias resolved).</param>
/// <param name="AuthorizeUrl">Where the user's browser goes.</param>
/// <param name="State">The state (to correlate; not a secret once sent to the browser, but single-use).</param>
/// <param name="ExpiresAt">When the pending authorization stops being accepted.</param>
public sealed record AuthorizationStart(string PlatformId, Uri AuthorizeUrl, string State, DateTimeOffset ExpiresAt);

/// <summary>The callback's query parameters (RFC 6749 §4.1.2, RFC 9207).</summary>
public sealed record AuthorizationCallback(string? Code, string? State, string? Issuer, string? Error, string? ErrorDescription);

/// <summary>A completed authorization.</summary>
/// <param name="PlatformId">The platform connected.</param>
/// <param name="Owner">Whose connection it is.</param>
/// <param name="Status">The connection as a client may see it.</param>
/// <param name="ReturnUrl">The local path the flow asked to return to, if any.</param>
public sealed record AuthorizationCompleted(string PlatformId, OwnerKey Owner, ConnectionStatus Status, string? ReturnUrl);
