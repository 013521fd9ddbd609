using System.Net;
using System.Text.Json;
using FhirGateway.Api.Tests.Fhir;
using FhirGateway.Testing;
using static FhirGateway.Api.Tests.Coverage.CoverageClient;

namespace FhirGateway.Api.Tests.Coverage;

/// <summary>
/// Coverage over REST against the sandbox payer: CRD check, DTR package and answers, PAS submit and inquiry.
/// Only <see cref="PriorAuth_LumbarMri_RequiredPackageAnsweredSubmittedPendedThenApproved"/> checks 72148 for Alice:
/// after its approval the sandbox answers "satisfied" for that subscriber and code.
/// </summary>
public sealed class CoverageApiTests(CoverageGatewayFixture fixture) : IClassFixture<CoverageGatewayFixture>
{
    private static readonly Dictionary<string, object> FullAnswers = new()
    {
        ["symptom-weeks"] = 8, ["conservative-therapy"] = true,
        ["conservative-therapy-details"] = "Physical therapy and NSAIDs for 6 weeks, no improvement", ["red-flags"] = "none",
    };

    [Fact]
    public async Task PriorAuth_LumbarMri_RequiredPackageAnsweredSubmittedPendedThenApproved()
    {
        using var session = await ConnectedAsync();

        var (status, check) = await PostAsync(session, $"{Root}/prior-auth/check", new { code = "72148", system = "cpt" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("required", check.GetProperty("decision").GetString());
        Assert.Equal([LumbarMri], check.GetProperty("questionnaires").EnumerateArray().Select(q => q.GetString()));
        var info = check.GetProperty("coverage_information")[0];
        Assert.Equal("auth-needed", info.GetProperty("pa_needed").GetString());
        Assert.StartsWith("CA-", info.GetProperty("coverage_assertion_id").GetString(), StringComparison.Ordinal);
        Assert.Contains("ext-coverage-information", info.GetProperty("raw").GetProperty("url").GetString(), StringComparison.Ordinal);

        // Traceable: the card and the reason are the sandbox payer's own words for the same order.
        var direct = await SandboxOrderSignAsync(fixture.Sandbox, (await session.ConnectionAsync()).AccessToken, "72148");
        var directCard = direct.GetProperty("cards")[0];
        var card = check.GetProperty("cards")[0];
        Assert.Equal(directCard.GetProperty("summary").GetString(), card.GetProperty("summary").GetString());
        Assert.Equal(directCard.GetProperty("detail").GetString(), card.GetProperty("detail").GetString());
        Assert.Equal(directCard.GetProperty("links")[0].GetProperty("url").GetString(), check.GetProperty("links")[0].GetProperty("url").GetString());
        var directReason = direct.GetProperty("systemActions")[0].GetProperty("resource").GetProperty("extension")[0].GetProperty("extension").EnumerateArray()
            .Single(e => e.GetProperty("url").GetString() == "reason").GetProperty("valueCodeableConcept").GetProperty("text").GetString();
        Assert.Equal(directReason, info.GetProperty("reasons")[0].GetString());
        Assert.Contains(directReason!, check.GetProperty("summary").GetString(), StringComparison.Ordinal);

        var (packageStatus, package) = await PostAsync(session, $"{Root}/questionnaire-package", new { questionnaires = new[] { LumbarMri } });
        Assert.Equal(HttpStatusCode.OK, packageStatus);
        var questionnaire = Assert.Single(package.GetProperty("questionnaires").EnumerateArray());
        Assert.Equal(LumbarMri, questionnaire.GetProperty("canonical").GetString());
        var items = questionnaire.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("link_id").GetString()!);
        Assert.True(items["conservative-therapy-details"].GetProperty("required").GetBoolean());
        Assert.Equal("conservative-therapy", items["conservative-therapy-details"].GetProperty("enable_when")[0].GetProperty("question").GetString());
        Assert.Contains("none", items["red-flags"].GetProperty("options").EnumerateArray().Select(o => o.GetProperty("code").GetString()));
        Assert.Contains("`conservative-therapy-details`*", questionnaire.GetProperty("markdown").GetString(), StringComparison.Ordinal);

        var (_, partial) = await PostAsync(session, $"{Root}/questionnaire-response/validate",
            new { questionnaire = LumbarMri, answers = new Dictionary<string, object> { ["symptom-weeks"] = 8, ["conservative-therapy"] = true } });
        Assert.False(partial.GetProperty("complete").GetBoolean());
        Assert.Equal(["conservative-therapy-details", "red-flags"], partial.GetProperty("missing").EnumerateArray().Select(m => m.GetProperty("link_id").GetString()));

        var (submitStatus, submitted) = await PostAsync(session, $"{Root}/prior-auth/submit",
            new { code = "72148", system = "cpt", questionnaire = LumbarMri, answers = FullAnswers });
        Assert.Equal(HttpStatusCode.OK, submitStatus);
        Assert.Equal("pended", submitted.GetProperty("status").GetString());
        Assert.Equal("queued", submitted.GetProperty("outcome").GetString());
        Assert.Equal("A4", submitted.GetProperty("items")[0].GetProperty("review_action_code").GetString());
        Assert.False(submitted.TryGetProperty("pre_auth_ref", out _));
        var claimIdentifier = submitted.GetProperty("claim_identifier").GetString()!;

        await Task.Delay(TimeSpan.FromSeconds(1.2)); // SANDBOX_PAS_PEND_SECONDS defaults to 1
        var (inquiryStatus, approved) = await GetAsync(session, $"{Root}/prior-auth/{Uri.EscapeDataString(claimIdentifier)}");
        Assert.Equal(HttpStatusCode.OK, inquiryStatus);
        Assert.Equal("approved", approved.GetProperty("status").GetString());
        Assert.Equal("A1", approved.GetProperty("items")[0].GetProperty("review_action_code").GetString());
        Assert.StartsWith("SBX-PA-", approved.GetProperty("pre_auth_ref").GetString(), StringComparison.Ordinal);
        Assert.Equal(approved.GetProperty("claim_response").GetProperty("preAuthRef").GetString(), approved.GetProperty("pre_auth_ref").GetString());
    }

    [Theory]
    [InlineData("prefetch")]
    [InlineData("fhir_authorization")]
    public async Task CheckPriorAuth_OfficeVisit_NotRequiredAndNoPackageAsked(string mode)
    {
        using var session = await ConnectedAsync();
        var packagesBefore = PackageCalls();

        var (status, check) = await PostAsync(session, $"{Root}/prior-auth/check", new { code = "99213", system = "http://www.ama-assn.org/go/cpt", mode });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("not-required", check.GetProperty("decision").GetString());
        Assert.Equal("no-auth", check.GetProperty("coverage_information")[0].GetProperty("pa_needed").GetString());
        Assert.Empty(check.GetProperty("questionnaires").EnumerateArray());
        Assert.Equal(packagesBefore, PackageCalls());
    }

    [Fact]
    public async Task CheckPriorAuth_CoverageNotActive_AnswersNoActiveCoverageWithThePayersCard()
    {
        using var session = await ConnectedAsync();
        var draft = await CreateDraftCoverageAsync(session);

        var (status, check) = await PostAsync(session, $"{Root}/prior-auth/check", new { code = "72148", system = "cpt", coverage_id = draft });

        Assert.True(status == HttpStatusCode.OK, check.ToString());
        Assert.Equal("unknown", check.GetProperty("decision").GetString());
        Assert.False(check.GetProperty("coverage_found").GetBoolean());
        Assert.StartsWith("No active coverage found for this patient at Sandbox Health Plan (payer-a)", check.GetProperty("summary").GetString(), StringComparison.Ordinal);
        var card = check.GetProperty("cards")[0].GetProperty("summary").GetString()!;
        Assert.StartsWith("No active coverage with Sandbox Health Plan (payer-a)", card, StringComparison.Ordinal);
        Assert.Contains(card, check.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Empty(check.GetProperty("coverage_information").EnumerateArray());
    }

    [Theory]
    [InlineData("cpt", "7214", "not a valid CPT: 5 characters")]
    [InlineData("hcpcs", "0601E", "not a valid HCPCS Level II: a letter then 4 digits")]
    [InlineData("loinc", "4548", "not a valid LOINC")]
    [InlineData("icd-9", "123", "Unknown code system 'icd-9'")]
    [InlineData("icd10cm", "M54.16", "ICD-10-CM codes are diagnoses, not orders")]
    public async Task CheckPriorAuth_BadCode_Returns400NamingTheExpectedForm(string system, string code, string expected)
    {
        using var session = new FhirSession(fixture);

        var (status, outcome) = await PostAsync(session, $"{Root}/prior-auth/check", new { code, system });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, OutcomeText(outcome), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckPriorAuth_PlatformWithoutCrd_Returns400NamingTheSetting()
    {
        using var session = new FhirSession(fixture);

        var (status, outcome) = await PostAsync(session, "/api/coverage/local-sandbox-ehr/prior-auth/check", new { code = "72148", system = "cpt" });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_EHR_CDS_SERVICES_URL", OutcomeText(outcome), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitPriorAuth_MissingRequiredAnswer_Returns400ListingItAndSendsNothing()
    {
        using var session = await ConnectedAsync();
        var submitsBefore = Count("POST /payer-a/fhir/Claim/$submit");
        var answers = new Dictionary<string, object>(FullAnswers);
        answers.Remove("red-flags");

        var (status, outcome) = await PostAsync(session, $"{Root}/prior-auth/submit", new { code = "72148", system = "cpt", questionnaire = LumbarMri, answers });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Required items not answered: red-flags", OutcomeText(outcome), StringComparison.Ordinal);
        Assert.Equal(submitsBefore, Count("POST /payer-a/fhir/Claim/$submit"));
    }

    [Fact]
    public async Task PolicyRules_OfficeVisit_ListsThePayersPolicyLink()
    {
        using var session = await ConnectedAsync();

        var (status, rules) = await GetAsync(session, $"{Root}/policy-rules?code=99213&system=cpt");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(rules.GetProperty("published").GetBoolean());
        Assert.EndsWith("/payer-a/policies/office-visits", rules.GetProperty("links")[0].GetProperty("url").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetPriorAuthStatus_UnknownIdentifier_Returns404FromThePayer()
    {
        using var session = await ConnectedAsync();

        var (status, outcome) = await GetAsync(session, $"{Root}/prior-auth/never-submitted");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("No prior authorization request with identifier never-submitted", OutcomeText(outcome), StringComparison.Ordinal);
    }

    private async Task<FhirSession> ConnectedAsync()
    {
        var session = new FhirSession(fixture);
        await session.ConnectAsync();
        return session;
    }

    /// <summary>A draft (not active) Coverage for Alice: searches for active coverage never see it.</summary>
    private static async Task<string> CreateDraftCoverageAsync(FhirSession session)
    {
        var coverage = $$"""
            {"resourceType":"Coverage","status":"draft","subscriberId":"NOT-A-MEMBER",
             "beneficiary":{"reference":"Patient/{{SandboxServers.PatientId}}"},"payor":[{"display":"Another plan"}]}
            """;
        using var created = await session.SendAsync(HttpMethod.Post, "/api/fhir/local-sandbox/Coverage", coverage);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await FhirSession.JsonAsync(created)).GetProperty("id").GetString()!;
    }

    private int PackageCalls() => Count("/Questionnaire/$questionnaire-package");

    private int Count(string text) => fixture.Sandbox.Output.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));
}

/// <summary>The payer's CRD service is down: a clear 502, never a made-up answer.</summary>
public sealed class CoveragePayerDownTests(PayerDownGatewayFixture fixture) : IClassFixture<PayerDownGatewayFixture>
{
    [Fact]
    public async Task CheckPriorAuth_CdsServiceUnreachable_Returns502OperationOutcome()
    {
        using var session = new FhirSession(fixture);
        await session.ConnectAsync();

        var (status, outcome) = await PostAsync(session, $"{Root}/prior-auth/check", new { code = "72148", system = "cpt" });

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Contains("could not be reached; no coverage answer was given", OutcomeText(outcome), StringComparison.Ordinal);
    }
}
