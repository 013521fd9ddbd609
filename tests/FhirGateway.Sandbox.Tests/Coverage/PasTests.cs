using System.Net;
using System.Text.Json.Nodes;
using FhirGateway.Testing;

namespace FhirGateway.Sandbox.Tests.Coverage;

/// <summary>The sandbox payer's PAS Claim/$submit and Claim/$inquire (pend time: SANDBOX_PAS_PEND_SECONDS, default 1 s).</summary>
public sealed class PasTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private SandboxServers Sandbox => fixture.Servers;

    [Fact]
    public async Task Submit_LumbarMriWithAnsweredQuestionnaire_IsPendedThenApprovedOnInquiry()
    {
        using var payer = new PayerClient(Sandbox);
        var token = await payer.LoginAsync();
        var request = await payer.PasRequestAsync(token, "pa-mri-1", "72148", questionnaireResponse: PayerClient.LumbarMriResponse());

        using var submitted = await payer.OperationAsync("Claim/$submit", request, token);
        var pended = await SmartClient.ReadSuccessAsync(submitted);
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        using var inquired = await payer.OperationAsync("Claim/$inquire", await payer.PasInquiryAsync(token, "pa-mri-1"), token);
        var approved = await SmartClient.ReadSuccessAsync(inquired);

        Assert.Equal("collection", pended.GetProperty("type").GetString());
        var first = pended.GetProperty("entry")[0].GetProperty("resource");
        Assert.Equal("ClaimResponse", first.GetProperty("resourceType").GetString());
        Assert.Equal("queued", first.GetProperty("outcome").GetString());
        Assert.Equal(["A4"], PayerClient.ReviewActions(first));
        Assert.False(first.TryGetProperty("preAuthRef", out _));

        var final = approved.GetProperty("entry")[0].GetProperty("resource");
        Assert.Equal("complete", final.GetProperty("outcome").GetString());
        Assert.Equal(["A1"], PayerClient.ReviewActions(final));
        Assert.StartsWith("SBX-PA-", final.GetProperty("preAuthRef").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crd_AfterApproval_SaysPriorAuthSatisfied()
    {
        using var payer = new PayerClient(Sandbox);
        var token = await payer.LoginAsync();
        var request = await payer.PasRequestAsync(token, "pa-cpap-1", "E0601", PayerClient.Hcpcs, CpapResponse());
        using var submitted = await payer.OperationAsync("Claim/$submit", request, token);
        await SmartClient.ReadSuccessAsync(submitted);
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        using var inquired = await payer.OperationAsync("Claim/$inquire", await payer.PasInquiryAsync(token, "pa-cpap-1"), token);
        var preAuthRef = (await SmartClient.ReadSuccessAsync(inquired)).GetProperty("entry")[0].GetProperty("resource").GetProperty("preAuthRef").GetString();

        using var crd = await payer.PostAsync($"{payer.PayerRoot}/cds-services/coverage-order-sign", payer.OrderSign(PayerClient.ServiceRequest("E0601", PayerClient.Hcpcs), await payer.PrefetchAsync(token)));
        var info = PayerClient.CoverageInformationOf(await SmartClient.ReadSuccessAsync(crd));

        Assert.Equal("satisfied", PayerClient.Code(info, "pa-needed"));
        Assert.Equal(preAuthRef, Assert.Single(info["satisfied-pa-id"]).GetProperty("valueString").GetString());
    }

    [Fact]
    public async Task Submit_OfficeVisit_IsApprovedAtOnce()
    {
        using var payer = new PayerClient(Sandbox);
        var token = await payer.LoginAsync();

        using var response = await payer.OperationAsync("Claim/$submit", await payer.PasRequestAsync(token, "pa-visit-1", "99213"), token);
        var claimResponse = (await SmartClient.ReadSuccessAsync(response)).GetProperty("entry")[0].GetProperty("resource");

        Assert.Equal("complete", claimResponse.GetProperty("outcome").GetString());
        Assert.Equal(["A1"], PayerClient.ReviewActions(claimResponse));
        Assert.False(string.IsNullOrEmpty(claimResponse.GetProperty("preAuthRef").GetString()));
    }

    [Theory]
    [InlineData(false, "Documentation missing")]
    [InlineData(true, "required items not answered: conservative-therapy-details, red-flags")]
    public async Task Submit_LumbarMriWithoutCompleteDocumentation_IsNotCertifiedWithReason(bool partial, string reason)
    {
        using var payer = new PayerClient(Sandbox);
        var token = await payer.LoginAsync();
        var request = await payer.PasRequestAsync(token, $"pa-mri-nodoc-{partial}", "72148", questionnaireResponse: partial ? PayerClient.LumbarMriResponse(complete: false) : null);

        using var response = await payer.OperationAsync("Claim/$submit", request, token);
        var claimResponse = (await SmartClient.ReadSuccessAsync(response)).GetProperty("entry")[0].GetProperty("resource");

        Assert.Equal(["A3"], PayerClient.ReviewActions(claimResponse));
        Assert.False(claimResponse.TryGetProperty("preAuthRef", out _));
        Assert.Contains(reason, claimResponse.GetProperty("disposition").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_UncoveredCode_IsNotCertified()
    {
        using var payer = new PayerClient(Sandbox);
        var token = await payer.LoginAsync();

        using var response = await payer.OperationAsync("Claim/$submit", await payer.PasRequestAsync(token, "pa-0042t", "0042T"), token);
        var claimResponse = (await SmartClient.ReadSuccessAsync(response)).GetProperty("entry")[0].GetProperty("resource");

        Assert.Equal(["A3"], PayerClient.ReviewActions(claimResponse));
        Assert.Contains("not covered", claimResponse.GetProperty("disposition").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("transaction")]
    [InlineData("no-claim")]
    [InlineData("no-patient")]
    public async Task Submit_MalformedBundle_Returns400OperationOutcome(string defect)
    {
        using var payer = new PayerClient(Sandbox);
        var token = await payer.LoginAsync();
        var request = await payer.PasRequestAsync(token, "pa-bad", "99213");
        var entries = request["entry"]!.AsArray();
        switch (defect)
        {
            case "transaction":
                request["type"] = "transaction";
                break;
            case "no-claim":
                entries.RemoveAt(0);
                break;
            default:
                entries.RemoveAt(1);
                break;
        }

        using var response = await payer.OperationAsync("Claim/$submit", request, token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var outcome = await PayerClient.ReadJsonAsync(response);
        Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
        Assert.False(string.IsNullOrEmpty(outcome.GetProperty("issue")[0].GetProperty("details").GetProperty("text").GetString()));
    }

    [Fact]
    public async Task Submit_ReadOnlyScope_Returns403()
    {
        using var payer = new PayerClient(Sandbox);
        var token = await payer.LoginAsync("openid fhirUser launch/patient patient/*.rs");

        using var response = await payer.OperationAsync("Claim/$submit", await payer.PasRequestAsync(token, "pa-ro", "99213"), token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Inquire_UnknownRequest_Returns404()
    {
        using var payer = new PayerClient(Sandbox);
        var token = await payer.LoginAsync();

        using var response = await payer.OperationAsync("Claim/$inquire", await payer.PasInquiryAsync(token, "never-submitted"), token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static JsonObject CpapResponse() => new()
    {
        ["resourceType"] = "QuestionnaireResponse",
        ["id"] = "qr-cpap",
        ["questionnaire"] = "https://sandbox.fhir-gateway.local/Questionnaire/cpap-pa|1.0.0",
        ["status"] = "completed",
        ["subject"] = new JsonObject { ["reference"] = $"Patient/{SandboxServers.PatientId}" },
        ["item"] = new JsonArray(
            new JsonObject { ["linkId"] = "sleep-study-done", ["answer"] = new JsonArray(new JsonObject { ["valueBoolean"] = true }) },
            new JsonObject { ["linkId"] = "sleep-study-type", ["answer"] = new JsonArray(new JsonObject { ["valueCoding"] = new JsonObject { ["system"] = "https://sandbox.fhir-gateway.local/CodeSystem/sleep-study-types", ["code"] = "psg" } }) },
            new JsonObject { ["linkId"] = "ahi", ["answer"] = new JsonArray(new JsonObject { ["valueDecimal"] = 22.5 }) },
            new JsonObject { ["linkId"] = "face-to-face", ["answer"] = new JsonArray(new JsonObject { ["valueBoolean"] = true }) }),
    };
}
