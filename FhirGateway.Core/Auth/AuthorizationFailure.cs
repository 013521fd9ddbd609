namespace FhirGateway.Core.Auth;

/// <summary>
/// Where a failed callback's flow asked to return, carried on the <see cref="Errors.GatewayException"/> it threw,
/// so a front-end can send the browser back to the page that started the login instead of a dead end.
/// </summary>
public static class AuthorizationFailure
{
    private const string PlatformKey = "FhirGateway.Auth.PlatformId";
    private const string ReturnUrlKey = "FhirGateway.Auth.ReturnUrl";

    /// <summary>The local path the failed flow asked to return to, and its platform; null when it gave none.</summary>
    public static (string PlatformId, string ReturnUrl)? ReturnTarget(Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure.Data[PlatformKey] is string platformId && failure.Data[ReturnUrlKey] is string returnUrl
            ? (platformId, returnUrl)
            : null;
    }

    internal static void Attach(Exception failure, string platformId, string returnUrl)
    {
        failure.Data[PlatformKey] = platformId;
        failure.Data[ReturnUrlKey] = returnUrl;
    }
}
