using System.Security.Claims;
using System.Text.Json;

namespace FhirGateway.Core.Identity;

/// <summary>
/// Keycloak puts realm roles in a JSON claim, <c>"realm_access": {"roles": [...]}</c>; ASP.NET Core looks for one
/// claim per role. This adds a <see cref="RoleClaim"/> claim per realm role, so <c>IsInRole</c> and role policies work.
/// </summary>
public static class KeycloakRoles
{
    /// <summary>The role claim type of gateway principals.</summary>
    public const string RoleClaim = "role";

    /// <summary>Keycloak's claim holding the realm roles.</summary>
    public const string RealmAccessClaim = "realm_access";

    /// <summary>The realm roles of a <c>realm_access</c> claim value; none when it is absent or not that shape.</summary>
    public static IReadOnlyList<string> FromRealmAccess(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array
                ? roles.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!).ToList()
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>Adds the realm roles of <paramref name="principal"/>'s token as role claims.</summary>
    public static void AddTo(ClaimsPrincipal principal)
    {
        if (principal.Identity is not ClaimsIdentity identity || identity.FindFirst(RealmAccessClaim) is not { } realmAccess)
        {
            return;
        }

        foreach (var role in FromRealmAccess(realmAccess.Value))
        {
            if (!identity.HasClaim(RoleClaim, role))
            {
                identity.AddClaim(new Claim(RoleClaim, role, ClaimValueTypes.String, realmAccess.Issuer));
            }
        }
    }
}
