using System.Globalization;
using FhirGateway.Core.Tokens;

namespace FhirGateway.Mcp.Tools;

/// <summary>One line per connection for agents: state and context, never a token.</summary>
internal static class ConnectionText
{
    public static string Line(ConnectionStatus status)
    {
        var parts = new List<string> { status.PlatformId, status.State };
        Add(parts, "patient", status.Patient);
        Add(parts, "user", status.FhirUser);
        Add(parts, "expires", status.ExpiresAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
        parts.Add(status.CanRefresh ? "refreshes automatically" : "no refresh");
        Add(parts, "scopes", status.Scope);
        Add(parts, "why", status.Message);
        return string.Join(" | ", parts);
    }

    private static void Add(List<string> parts, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            parts.Add($"{name}: {value}");
        }
    }
}
