using System.Text;

namespace FhirGateway.Core.Auth;

/// <summary>Makes text from an authorization server safe to show and to log: printable ASCII, bounded length.</summary>
internal static class OAuthText
{
    public const int MaxErrorLength = 64;
    public const int MaxDescriptionLength = 200;

    /// <summary>An OAuth <c>error</c> value: RFC 6749 §4.1.2.1 allows %x20-21 / %x23-5B / %x5D-7E.</summary>
    public static string Error(string? value) => Clean(value, MaxErrorLength) ?? "unknown_error";

    /// <summary>An <c>error_description</c>, or null when empty.</summary>
    public static string? Description(string? value) => Clean(value, MaxDescriptionLength);

    private static string? Clean(string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var builder = new StringBuilder(Math.Min(value.Length, max));
        foreach (var c in value)
        {
            if (builder.Length == max)
            {
                break;
            }

            builder.Append(c is >= ' ' and <= '~' and not '"' and not '\\' ? c : '_');
        }

        return builder.ToString().Trim();
    }
}
