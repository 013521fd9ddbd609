using FhirGateway.Core.Auth;
using FhirGateway.Core.Errors;
using FhirGateway.Core.Platforms;
using FhirGateway.Core.Tokens;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// The access token a call to a platform goes out with, and the 401 that tells the caller to log in (again)
/// when there is none or the platform refuses it.
/// </summary>
internal sealed class UpstreamTokens(ConnectionRefresher connections, IOptions<SmartAuthOptions> smartOptions)
{
    /// <summary>Whether a call may go out without a token: an open platform, or the capability statement.</summary>
    public static bool IsOptional(Platform platform, FhirRequest request) =>
        platform.Definition.Open || request.Interaction == FhirInteraction.Capabilities;

    /// <summary>
    /// The owner's access token (refreshed first when <paramref name="forceRefresh"/>); null when optional and absent.
    /// A <see cref="ValueTask{TResult}"/>: on the hot path it completes at once, where a task is one more allocation.
    /// </summary>
    public async ValueTask<string?> GetAsync(OwnerKey? owner, Platform platform, bool optional, bool forceRefresh, CancellationToken cancellationToken)
    {
        if (owner is not { } key)
        {
            return optional ? null : throw Reauthorize(platform, "this client has no gateway session.");
        }

        try
        {
            return (await connections.GetConnectionAsync(key, platform, forceRefresh, cancellationToken)).AccessToken;
        }
        catch (AuthorizationRequiredException) when (optional)
        {
            return null;
        }
    }

    /// <summary>Refreshes the owner's connection now, so that the caller's repeat goes out with a new token.</summary>
    public Task RefreshAsync(OwnerKey owner, Platform platform, CancellationToken cancellationToken) =>
        connections.GetConnectionAsync(owner, platform, forceRefresh: true, cancellationToken).AsTask();

    /// <summary>A 401 naming <paramref name="reason"/> and the platform's login URL.</summary>
    public AuthorizationRequiredException Reauthorize(Platform platform, string reason) =>
        new(platform.Id, char.ToUpperInvariant(reason[0]) + reason[1..], smartOptions.Value.LoginUrl(platform.Id));
}
