using System.Text.Json.Nodes;
using FhirGateway.Core.Audit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Tests.Audit;

/// <summary>Audit events as FHIR AuditEvents: the codes each event maps to, and the setting's checks.</summary>
public sealed class AuditEventMappingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("fhir.create", "success", 201, "rest", "create", "C", "0")]
    [InlineData("fhir.read", "success", 200, "rest", "read", "R", "0")]
    [InlineData("fhir.read", "failure", 404, "rest", "read", "R", "4")]
    [InlineData("fhir.search", "success", 200, "rest", "search-type", "E", "0")]
    [InlineData("fhir.patch", "denied", 403, "rest", "patch", "U", "4")]
    [InlineData("fhir.delete", "failure", 502, "rest", "delete", "D", "8")]
    [InlineData("fhir.operation", "success", 200, "rest", "operation", "E", "0")]
    [InlineData("authorize.callback", "success", null, "110114", "110122", "E", "0")]
    [InlineData("authorize.callback", "invalid_state", null, "110114", "110122", "E", "4")]
    [InlineData("token.refresh", "failure", null, "110114", "110122", "E", "8")]
    [InlineData("token.revoke", "success", null, "110114", "110123", "E", "0")]
    public void AuditEvent_EachAction_HasItsTypeSubtypeActionAndOutcome(string action, string outcome, int? status, string type, string subtype, string code, string result)
    {
        var audit = AuditEventMapper.AuditEvent(new AuditRecord(Now, action, outcome, "0123456789abcdef", "local-sandbox", 12.5, "4bf92f3577b34da6a3ce929d0e0e4736")
        {
            ResourceType = "Patient", Status = status, Reason = status is null ? "connected" : null,
        });

        Assert.Equal(type, audit["type"]!["code"]!.GetValue<string>());
        Assert.Equal(subtype, audit["subtype"]![0]!["code"]!.GetValue<string>());
        Assert.Equal(action, audit["subtype"]![1]!["code"]!.GetValue<string>());
        Assert.Equal((code, result), (audit["action"]!.GetValue<string>(), audit["outcome"]!.GetValue<string>()));
        Assert.Equal("2026-11-28T12:00:00.000Z", audit["recorded"]!.GetValue<string>());
        Assert.Equal("0123456789abcdef", audit["agent"]![0]!["who"]!["identifier"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void Transaction_Records_OneCreateEntryEach()
    {
        var records = Enumerable.Range(0, 3).Select(i => new AuditRecord(Now, "fhir.read", "success", "owner", "p", i, null) { ResourceType = "Observation", ResourceId = $"o{i}", Status = 200 });

        var bundle = AuditEventMapper.Transaction(records);

        Assert.Equal("transaction", bundle["type"]!.GetValue<string>());
        var entries = bundle["entry"]!.AsArray();
        Assert.Equal(["Observation/o0", "Observation/o1", "Observation/o2"], entries.Select(e => e!["resource"]!["entity"]![0]!["what"]!["reference"]!.GetValue<string>()));
        Assert.All(entries, e => Assert.Equal("AuditEvent", e!["request"]!["url"]!.GetValue<string>()));
        Assert.Equal(3, entries.Select(e => e!["fullUrl"]!.GetValue<string>()).Distinct().Count());
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("/fhir")]
    [InlineData("ftp://audit.example/fhir")]
    [InlineData("http://user:secret@audit.example/fhir")]
    [InlineData("http://audit.example/fhir?x=1")]
    public void Options_WrongAuditUrl_FailNamingTheSetting(string url)
    {
        using var host = Host(url);

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<AuditEventOptions>>().Value);

        Assert.Contains(AuditEventOptions.FhirUrlKey, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_HttpBase_IsTheEndpoint()
    {
        using var host = Host("http://hapi:8080/fhir");

        Assert.Equal(new Uri("http://hapi:8080/fhir"), host.Services.GetRequiredService<IOptions<AuditEventOptions>>().Value.Endpoint);
    }

    private static IHost Host(string url)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection([new(AuditEventOptions.FhirUrlKey, url)]);
        builder.AddAuditEventOutput();
        return builder.Build();
    }
}
