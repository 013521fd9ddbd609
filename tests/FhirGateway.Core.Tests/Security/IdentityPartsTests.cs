using FhirGateway.Core.Errors;
using FhirGateway.Core.Fhir;
using FhirGateway.Core.Identity;
using FhirGateway.Core.Tokens;

namespace FhirGateway.Core.Tests.Security;

/// <summary>The user owner key, Keycloak realm roles, and the <c>_count</c> cap.</summary>
public sealed class IdentityPartsTests
{
    [Fact]
    public void ForUser_SameSubjectOtherIssuer_IsAnotherOwner()
    {
        var a = OwnerKey.ForUser("https://id-a.example", "alice");

        Assert.Equal(a, OwnerKey.ForUser("https://id-a.example", "alice"));
        Assert.NotEqual(a, OwnerKey.ForUser("https://id-b.example", "alice"));
        Assert.True(a.IsUser);
        Assert.False(a.IsBrowserSession);
        Assert.StartsWith("user:", a.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("id-a.example", a.Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"roles":["patient","offline_access"]}""", "patient,offline_access")]
    [InlineData("""{"roles":"patient"}""", "")]
    [InlineData("""["patient"]""", "")]
    [InlineData("not json", "")]
    [InlineData(null, "")]
    public void FromRealmAccess_Shapes_YieldTheRoles(string? json, string expected)
    {
        Assert.Equal(expected, string.Join(',', KeycloakRoles.FromRealmAccess(json)));
    }

    [Theory]
    [InlineData("_count=5000&name=x", "_count=500&name=x")]
    [InlineData("name=x&_count=20", "name=x&_count=20")]
    [InlineData("name=x", "name=x")]
    [InlineData(null, null)]
    public void Cap_Count_IsLoweredToTheMaximum(string? query, string? expected)
    {
        Assert.Equal(expected, SearchPageSize.Cap(query, 500));
    }

    [Theory]
    [InlineData("_count=ten")]
    [InlineData("_count=-1")]
    [InlineData("_count=")]
    public void Cap_NotAWholeNumber_IsRefused(string query)
    {
        Assert.Throws<FhirValidationException>(() => SearchPageSize.Cap(query, 500));
    }
}
