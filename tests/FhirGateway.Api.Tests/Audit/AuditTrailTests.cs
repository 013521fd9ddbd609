using System.Net;
using FhirGateway.Api.Tests.Auth;
using FhirGateway.Core.Tokens;
using FhirGateway.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FhirGateway.Api.Tests.Audit;

/// <summary>The audit trail of a whole session against the real sandbox, read from the captured logs.</summary>
public sealed class AuditTrailTests(AuditFixture fixture) : IClassFixture<AuditFixture>
{
    private const string AuditCategory = "FhirGateway.Audit";

    private static readonly string[] AuthFields = ["Action", "Outcome", "OwnerHash", "PlatformId", "Reason", "DurationMs", "TraceId"];

    [Fact]
    public async Task LoginReadLogout_OneAuditEventPerAction_WithItsFields_AndNoSecretInAnyLog()
    {
        using var browser = new Browser(fixture.Gateway.BaseAddress);
        var before = fixture.Logs.Entries.Count;

        using var login = await browser.GetAsync("/auth/local-sandbox/login");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var state = Query(login.Headers.Location!)["state"];
        using var sandbox = new SandboxLogin();
        var callback = await sandbox.AuthorizeAsync(login.Headers.Location!, fixture.CallbackUri);
        var code = Query(callback)["code"];
        using (var page = await browser.GetAsync(callback.PathAndQuery))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        var session = browser.Cookies.GetCookies(fixture.Gateway.BaseAddress)["fhirgw_session"]!.Value;
        var connection = await fixture.Gateway.Services.GetRequiredService<ITokenStore>().GetAsync(OwnerKey.ForSession(session), "local-sandbox")
            ?? throw new InvalidOperationException("Not connected.");
        using (var patient = await browser.GetAsync($"/api/fhir/local-sandbox/Patient/{SandboxServers.PatientId}"))
        {
            Assert.Equal(HttpStatusCode.OK, patient.StatusCode);
        }

        using (var forged = await browser.GetAsync("/oauth/callback?code=forged-code&state=forged-state-0123456789abcdef"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }

        using (var logout = await browser.PostAsync("/auth/local-sandbox/logout", r => r.Headers.Add("Origin", fixture.Gateway.BaseAddress.GetLeftPart(UriPartial.Authority))))
        {
            Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        }

        var logs = fixture.Logs.Entries.Skip(before).ToList();
        var audit = logs.Where(e => e.Category == AuditCategory).ToList();
        var actions = audit.Select(e => $"{e.Fields["Action"]}:{e.Fields["Outcome"]}").ToList();
        Assert.Equal(["authorize.start:success", "authorize.callback:success", "fhir.read:success", "authorize.callback:invalid_state", "token.revoke:success"], actions);

        var owner = audit[0].Fields["OwnerHash"];
        Assert.Matches("^[0-9a-f]{16}$", owner);
        foreach (var entry in audit)
        {
            Assert.All(AuthFields.Where(f => f != "Reason"), f => Assert.False(string.IsNullOrEmpty(entry.Fields.GetValueOrDefault(f)), $"{f} missing in: {entry.Message}"));
            Assert.True(entry.Fields["PlatformId"] is "local-sandbox" or "-", entry.Message); // "-": a forged state names no platform
            Assert.Matches("^[0-9a-f]{32}$", entry.Fields["TraceId"]);
            Assert.True(double.Parse(entry.Fields["DurationMs"], System.Globalization.CultureInfo.InvariantCulture) >= 0);
            Assert.Equal(owner, entry.Fields["OwnerHash"]); // the same browser session throughout, even for the forged callback
        }

        var read = audit[2];
        Assert.Equal(("Patient", SandboxServers.PatientId, "200"), (read.Fields["ResourceType"], read.Fields["ResourceId"], read.Fields["Status"]));
        Assert.Equal("unknown or used state", audit[3].Fields["Reason"]);
        Assert.Equal("revoked", audit[4].Fields["Reason"]);

        var everything = string.Join('\n', logs.Select(e => e.Text));
        Assert.False(Jwt.IsIn(everything), "the logs hold a JWT: an access or id token");
        string[] secrets = [connection.AccessToken, connection.RefreshToken ?? "no-refresh-token", code, state, session, GatewayServer.MasterKey];
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, everything, StringComparison.Ordinal));
    }

    private static Dictionary<string, string> Query(Uri uri) =>
        uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "");
}
