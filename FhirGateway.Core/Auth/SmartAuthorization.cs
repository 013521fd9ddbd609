using FhirGateway.Core.Tokens;

namespace FhirGateway.Core.Auth;

/// <summary>The SMART authorization service: each operation is its own class.</summary>
internal sealed class SmartAuthorization(
    AuthorizationStarter starter, AuthorizationCallbackHandler callbacks, ConnectionRefresher refresher, ConnectionLogout logout)
    : ISmartAuthorization
{
    public Task<AuthorizationStart> StartAsync(OwnerKey owner, string platformId, IReadOnlyList<string>? scopes = null, string? returnUrl = null, CancellationToken cancellationToken = default) =>
        starter.StartAsync(owner, platformId, scopes, returnUrl, cancellationToken);

    public Task<AuthorizationCompleted> CompleteAsync(AuthorizationCallback callback, OwnerKey? caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return callbacks.CompleteAsync(callback, caller, cancellationToken);
    }

    public Task<PlatformConnection> GetConnectionAsync(OwnerKey owner, string platformId, bool forceRefresh = false, CancellationToken cancellationToken = default) =>
        refresher.GetConnectionAsync(owner, platformId, forceRefresh, cancellationToken).AsTask();

    public Task<bool> LogoutAsync(OwnerKey owner, string platformId, CancellationToken cancellationToken = default) =>
        logout.LogoutAsync(owner, platformId, cancellationToken);
}
