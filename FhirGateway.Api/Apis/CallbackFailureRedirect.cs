using FhirGateway.Core.Auth;
using FhirGateway.Core.Errors;

namespace FhirGateway.Api.Apis;

/// <summary>
/// A failed callback whose flow named a page to return to (<c>return_to</c>, a local path) goes back there with
/// <c>?error={code}&amp;platform={id}</c>: a short code (the OAuth error, or the outcome's issue code), never free
/// text, so a crafted link cannot make the page say anything but its own messages.
/// </summary>
internal static class CallbackFailureRedirect
{
    private const int MaxCodeLength = 64;

    public static IResult? For(GatewayException failure)
    {
        if (AuthorizationFailure.ReturnTarget(failure) is not { } target)
        {
            return null;
        }

        var code = failure is AuthorizationDeniedException denied ? denied.Error : failure.IssueCode;
        var separator = target.ReturnUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return TypedResults.Redirect(
            $"{target.ReturnUrl}{separator}error={Uri.EscapeDataString(Code(code))}&platform={Uri.EscapeDataString(target.PlatformId)}");
    }

    private static string Code(string code)
    {
        var clean = new string([.. code.Take(MaxCodeLength).Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_')]);
        return clean.Length == 0 ? "unknown_error" : clean;
    }
}
