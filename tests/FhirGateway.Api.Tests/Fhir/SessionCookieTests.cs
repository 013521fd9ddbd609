using System.Net;
using FhirGateway.Testing;

namespace FhirGateway.Api.Tests.Fhir;

/// <summary>
/// Which <c>Cookie</c> headers name the browser's session: a FHIR read with a connected session's id in a hand-written
/// header answers 200, one the gateway does not take as that session answers 401 with the login link.
/// </summary>
public sealed class SessionCookieTests(FhirGatewayFixture fixture) : IClassFixture<FhirGatewayFixture>
{
    private static readonly string ReadPath = $"/api/fhir/{FhirGatewayFixture.Payer}/Patient/{SandboxServers.PatientId}";

    [Theory]
    [InlineData("fhirgw_session={0}")]
    [InlineData("theme=dark; fhirgw_session={0}; lang=en")]
    [InlineData("theme=dark;fhirgw_session={0};lang=en")]
    [InlineData("other=\"quoted; value\"; fhirgw_session={0}")]
    [InlineData("FHIRGW_SESSION={0}")]
    public async Task Read_SessionInTheCookieHeader_IsThatSession(string header)
    {
        var id = await ConnectedSessionIdAsync();

        using var response = await ReadAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, header, id));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("fhirgw_session={0}x")]
    [InlineData("fhirgw_session={1}")]
    [InlineData("xfhirgw_session={0}")]
    [InlineData("fhirgw_session_old={0}")]
    [InlineData("fhirgw_session")]
    [InlineData("fhirgw_session=")]
    [InlineData("theme={0}")]
    [InlineData("fhirgw_session=\"{0}\"")]
    [InlineData("other=\"x; fhirgw_session={0}\"")]
    public async Task Read_NoWellFormedSessionCookie_IsNoSession(string header)
    {
        var id = await ConnectedSessionIdAsync();

        using var response = await ReadAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, header, id, id[..42]));

        var body = await FhirApiTests.AssertOutcomeAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains($"/auth/{FhirGatewayFixture.Payer}/login", body, StringComparison.Ordinal);
    }

    /// <summary>As ASP.NET Core's cookie collection reads it, which the gateway read until the fifteenth session.</summary>
    [Fact]
    public async Task Read_SessionCookieTwice_TakesTheLast()
    {
        var connected = await ConnectedSessionIdAsync();
        var other = new string('A', 43);

        using var first = await ReadAsync($"fhirgw_session={connected}; fhirgw_session={other}");
        using var second = await ReadAsync($"fhirgw_session={other}; fhirgw_session={connected}");

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
    }

    [Fact]
    public async Task Read_SessionInASecondCookieField_IsThatSession()
    {
        var id = await ConnectedSessionIdAsync();

        // Two Cookie fields on the wire (HttpClient would join them into one): over a socket of its own.
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(fixture.Gateway.BaseAddress.Host, fixture.Gateway.BaseAddress.Port);
        var stream = socket.GetStream();
        var request = $"GET {ReadPath} HTTP/1.1\r\nHost: {fixture.Gateway.BaseAddress.Authority}\r\nCookie: theme=dark\r\nCookie: fhirgw_session={id}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, System.Text.Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync();

        Assert.StartsWith("HTTP/1.1 200 ", statusLine, StringComparison.Ordinal);
    }

    private async Task<string> ConnectedSessionIdAsync()
    {
        using var session = new FhirSession(fixture);
        await session.ConnectAsync();
        return session.Owner.Value["session:".Length..];
    }

    /// <summary>A read with exactly these <c>Cookie</c> fields, from a client with no cookie jar of its own.</summary>
    private async Task<HttpResponseMessage> ReadAsync(params string[] cookieFields)
    {
        using var handler = new SocketsHttpHandler { UseCookies = false };
        using var client = new HttpClient(handler) { BaseAddress = fixture.Gateway.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(ReadPath, UriKind.Relative));
        foreach (var field in cookieFields)
        {
            request.Headers.TryAddWithoutValidation("Cookie", field);
        }

        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
