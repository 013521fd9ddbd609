using System.Net;
using System.Text.Json.Nodes;
using FhirGateway.Testing;

namespace FhirGateway.Sandbox.Tests.Coverage;

/// <summary>The sandbox payer's CRD service (CDS Hooks 2.0): discovery, order-sign answers, prefetch and fhirAuthorization.</summary>
public sealed class CrdServiceTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private SandboxServers Sandbox => fixture.Servers;

    [Fact]
    public async Task Discovery_ListsOrderSelectAndOrderSignWithPrefetch()
    {
        using var payer = new PayerClient(Sandbox);

        using var response = await payer.GetAsync($"{payer.PayerRoot}/cds-services");
        var services = (await SmartClient.ReadSuccessAsync(response)).GetProperty("services").EnumerateArray().ToList();

        Assert.Equal(["order-select", "order-sign"], services.Select(s => s.GetProperty("hook").GetString()).Order());
        Assert.All(services, s =>
        {
            Assert.False(string.IsNullOrEmpty(s.GetProperty("id").GetString()));
            Assert.False(string.IsNullOrEmpty(s.GetProperty("title").GetString()));
            Assert.False(string.IsNullOrEmpty(s.GetProperty("description").GetString()));
            Assert.Equal("Patient/{{context.patientId}}", s.GetProperty("prefetch").GetProperty("patient").GetString());
            Assert.StartsWith("Coverage?patient={{context.patientId}}", s.GetProperty("prefetch").GetProperty("coverage").GetString(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task OrderSign_LumbarMri_NeedsPriorAuthWithQuestionnaireAndPolicyLink()
    {
        using var payer = new PayerClient(Sandbox);
        var token = await payer.LoginAsync();

        using var response = await payer.PostAsync($"{payer.PayerRoot}/cds-services/coverage-order-sign", payer.OrderSign(PayerClient.ServiceRequest("72148"), await payer.PrefetchAsync(token)));
        var answer = await SmartClient.ReadSuccessAsync(response);

        var info = PayerClient.CoverageInformationOf(answer);
        Assert.Equal("covered", PayerClient.Code(info, "covered"));
        Assert.Equal("auth-needed", PayerClient.Code(info, "pa-needed"));
        Assert.Equal("clinical", PayerClient.Code(info, "doc-needed"));
        Assert.Equal(PayerClient.LumbarMriQuestionnaire, Assert.Single(info["questionnaire"]).GetProperty("valueCanonical").GetString());
        Assert.StartsWith("Coverage/", Assert.Single(info["coverage"]).GetProperty("valueReference").GetProperty("reference").GetString(), StringComparison.Ordinal);
        Assert.Single(info["date"]);
        Assert.Single(info["coverage-assertion-id"]);
        Assert.Empty(info["satisfied-pa-id"]);
        Assert.Equal("update", answer.GetProperty("systemActions")[0].GetProperty("type").GetString());

        var card = Assert.Single(answer.GetProperty("cards").EnumerateArray());
        Assert.Contains("Prior authorization required", card.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal("warning", card.GetProperty("indicator").GetString());
        Assert.False(string.IsNullOrEmpty(card.GetProperty("source").GetProperty("label").GetString()));
        var policyUrl = card.GetProperty("links")[0].GetProperty("url").GetString()!;
        using var policy = await payer.GetAsync(policyUrl);
        Assert.Equal(HttpStatusCode.OK, policy.StatusCode);
        Assert.Equal("text/html", policy.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OrderSign_OfficeVisit_NeedsNoPriorAuth()
    {
        using var payer = new PayerClient(Sandbox);
        var token = await payer.LoginAsync();

        using var response = await payer.PostAsync($"{payer.PayerRoot}/cds-services/coverage-order-sign", payer.OrderSign(PayerClient.ServiceRequest("99213"), await payer.PrefetchAsync(token)));
        var info = PayerClient.CoverageInformationOf(await SmartClient.ReadSuccessAsync(response));

        Assert.Equal("covered", PayerClient.Code(info, "covered"));
        Assert.Equal("no-auth", PayerClient.Code(info, "pa-needed"));
        Assert.Empty(info["questionnaire"]);
    }

    [Fact]
    public async Task OrderSign_CpapAndUncoveredCode_AreConditionalAndNotCovered()
    {
        using var payer = new PayerClient(Sandbox);
        var token = await payer.LoginAsync();
        var prefetch = await payer.PrefetchAsync(token);

        using var cpap = await payer.PostAsync($"{payer.PayerRoot}/cds-services/coverage-order-sign", payer.OrderSign(PayerClient.ServiceRequest("E0601", PayerClient.Hcpcs), prefetch));
        using var uncovered = await payer.PostAsync($"{payer.PayerRoot}/cds-services/coverage-order-sign", payer.OrderSign(PayerClient.ServiceRequest("0042T"), prefetch.DeepClone().AsObject()));

        var cpapInfo = PayerClient.CoverageInformationOf(await SmartClient.ReadSuccessAsync(cpap));
        Assert.Equal("conditional", PayerClient.Code(cpapInfo, "pa-needed"));
        Assert.Equal("OTH", PayerClient.Code(cpapInfo, "info-needed"));
        Assert.Single(cpapInfo["reason"]);
        var uncoveredInfo = PayerClient.CoverageInformationOf(await SmartClient.ReadSuccessAsync(uncovered));
        Assert.Equal("not-covered", PayerClient.Code(uncoveredInfo, "covered"));
        Assert.Empty(uncoveredInfo["pa-needed"]);
    }

    [Fact]
    public async Task OrderSign_WithoutPrefetch_FetchesPatientAndCoverageWithFhirAuthorization()
    {
        using var payer = new PayerClient(Sandbox);
        var token = await payer.LoginAsync();

        using var response = await payer.PostAsync($"{payer.PayerRoot}/cds-services/coverage-order-sign", payer.OrderSign(PayerClient.ServiceRequest("72148"), fhirToken: token));
        var info = PayerClient.CoverageInformationOf(await SmartClient.ReadSuccessAsync(response));

        Assert.Equal("auth-needed", PayerClient.Code(info, "pa-needed"));
        Assert.Contains("GET /payer-a/fhir/Coverage 200", Sandbox.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrderSign_WithoutPrefetchAndBadFhirToken_Returns412WithReason()
    {
        using var payer = new PayerClient(Sandbox);

        using var response = await payer.PostAsync($"{payer.PayerRoot}/cds-services/coverage-order-sign", payer.OrderSign(PayerClient.ServiceRequest("72148"), fhirToken: "not-a-valid-token"));

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        var text = (await PayerClient.ReadJsonAsync(response)).GetProperty("issue")[0].GetProperty("details").GetProperty("text").GetString();
        Assert.Contains("refused fhirAuthorization.access_token (HTTP 401)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrderSign_CoverageOfAnotherPayer_AnswersUnknownCoverageCard()
    {
        using var payer = new PayerClient(Sandbox);
        var token = await payer.LoginAsync();
        var prefetch = await payer.PrefetchAsync(token);
        prefetch["coverage"]!["entry"]![0]!["resource"]!["subscriberId"] = "NOT-A-MEMBER";

        using var response = await payer.PostAsync($"{payer.PayerRoot}/cds-services/coverage-order-sign", payer.OrderSign(PayerClient.ServiceRequest("72148"), prefetch));
        var answer = await SmartClient.ReadSuccessAsync(response);

        Assert.Empty(answer.GetProperty("systemActions").EnumerateArray());
        Assert.Contains("No active coverage", Assert.Single(answer.GetProperty("cards").EnumerateArray()).GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("7214", "not a valid CPT")]
    [InlineData(null, "hookInstance is required")]
    public async Task OrderSign_BadRequest_Returns400WithMessage(string? code, string expected)
    {
        using var payer = new PayerClient(Sandbox);
        var token = await payer.LoginAsync();
        var request = payer.OrderSign(PayerClient.ServiceRequest(code ?? "72148"), await payer.PrefetchAsync(token));
        if (code is null)
        {
            request.Remove("hookInstance");
        }

        using var response = await payer.PostAsync($"{payer.PayerRoot}/cds-services/coverage-order-sign", request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (await PayerClient.ReadJsonAsync(response)).GetProperty("issue")[0].GetProperty("details").GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServiceCall_WithInvalidBearerToken_Returns401()
    {
        using var payer = new PayerClient(Sandbox);

        using var response = await payer.PostAsync($"{payer.PayerRoot}/cds-services/coverage-order-sign", new JsonObject(), token: "garbage");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
