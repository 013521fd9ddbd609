using System.Text;
using System.Text.Json;
using FhirGateway.Core.Tokens;
using FhirGateway.Core.Tokens.Protection;

namespace FhirGateway.Core.Tests.Tokens;

/// <summary>
/// The stored connection format: what the serializer writes (and every gateway before this reader wrote) reads back
/// whole, values from a newer gateway still open, and anything else is refused as malformed.
/// </summary>
public sealed class PlatformConnectionReaderTests
{
    private static readonly DateTimeOffset Connected = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    private static byte[] Written(PlatformConnection connection) =>
        JsonSerializer.SerializeToUtf8Bytes(connection, TokenStoreJsonContext.Default.PlatformConnection);

    [Fact]
    public void Read_EveryMemberSet_EqualsWhatWasWritten()
    {
        var connection = new PlatformConnection
        {
            PlatformId = "epic",
            AccessToken = "access-\u00e9-\"quoted\"",
            RefreshToken = "refresh",
            TokenType = "DPoP",
            ExpiresAt = Connected.AddHours(1),
            Scope = "openid patient/*.rs",
            Patient = "pat-1",
            Encounter = "enc-1",
            FhirUser = "Patient/pat-1",
            ConnectedAt = Connected,
            RefreshedAt = Connected.AddMinutes(30).ToOffset(TimeSpan.FromHours(-5)),
            ReauthorizationReason = "The grant was revoked.",
        };

        Assert.Equal(connection, PlatformConnectionReader.Read(Written(connection)));
    }

    [Fact]
    public void Read_OnlyRequiredMembers_KeepsTheDefaults()
    {
        var connection = new PlatformConnection { PlatformId = "cigna", AccessToken = "a", ConnectedAt = Connected };

        var read = PlatformConnectionReader.Read(Written(connection));

        Assert.Equal(connection, read);
        Assert.Equal("Bearer", read.TokenType);
    }

    [Fact]
    public void Read_UnknownMembersAndNulls_AreSkipped()
    {
        var json = """{"PlatformId":"epic","Future":{"a":[1,2,{"b":null}]},"AccessToken":"t","Scope":null,"ExpiresAt":null,"ConnectedAt":"2026-11-28T10:00:00+00:00","Extra":7}""";

        var read = PlatformConnectionReader.Read(Encoding.UTF8.GetBytes(json));

        Assert.Equal(new PlatformConnection { PlatformId = "epic", AccessToken = "t", ConnectedAt = Connected }, read);
    }

    [Theory]
    [InlineData("""{"PlatformId":"epic","ConnectedAt":"2026-11-28T10:00:00Z"}""")] // no access token
    [InlineData("""{"PlatformId":"epic","AccessToken":"t"}""")] // no ConnectedAt
    [InlineData("""{"PlatformId":7,"AccessToken":"t","ConnectedAt":"2026-11-28T10:00:00Z"}""")] // wrong type
    [InlineData("""{"PlatformId":"epic","AccessToken":"t","ConnectedAt":"yesterday"}""")] // not a date
    [InlineData("""{"PlatformId":"epic","AccessToken":"t","ConnectedAt":"2026-11-28T10:00:00Z"} {}""")] // trailing value
    [InlineData("""{"PlatformId":"epic","AccessToken":"t",""")] // cut short
    [InlineData("""["epic"]""")]
    [InlineData("")]
    public void Read_NotAConnection_IsMalformed(string json) =>
        Assert.ThrowsAny<JsonException>(() => PlatformConnectionReader.Read(Encoding.UTF8.GetBytes(json)));
}
