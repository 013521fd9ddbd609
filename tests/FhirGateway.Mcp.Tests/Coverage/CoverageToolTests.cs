using System.Text.Json;
using System.Text.RegularExpressions;
using static FhirGateway.Mcp.Tests.McpFixture;

namespace FhirGateway.Mcp.Tests.Coverage;

/// <summary>
/// The coverage tools over MCP against the sandbox payer. Only the required-path test checks 72148: after its
/// approval the sandbox answers "satisfied" for that subscriber and code.
/// </summary>
public sealed partial class CoverageToolTests(CoverageMcpFixture fixture) : IClassFixture<CoverageMcpFixture>
{
    private const string LumbarMri = "https://sandbox.fhir-gateway.local/Questionnaire/lumbar-mri-pa|1.0.0";

    [Fact]
    public async Task PriorAuthTools_LumbarMri_RequiredPackageSubmittedPendedThenApproved()
    {
        await using var client = await fixture.ConnectAsync(await fixture.ConnectedKeyAsync());

        var check = await client.CallAsync("check_prior_auth", new() { ["platform_id"] = "local-sandbox", ["code"] = "72148", ["code_system"] = "cpt" });
        Assert.Equal("required", Field(check, "decision"));
        Assert.Equal("auth-needed", Field(check, "pa_needed"));
        Assert.Equal(LumbarMri, Field(check, "questionnaires"));
        Assert.StartsWith("CA-", Field(check, "coverage_assertion_id"), StringComparison.Ordinal);
        Assert.Contains("Reason: Advanced imaging of the lumbar spine needs prior authorization", check, StringComparison.Ordinal);

        var package = await client.CallAsync("get_questionnaire_package", new() { ["platform_id"] = "local-sandbox", ["questionnaire"] = Field(check, "questionnaires") });
        Assert.Equal(LumbarMri, Field(package, "questionnaire"));
        Assert.Contains("`conservative-therapy-details`* Describe the conservative therapy", package, StringComparison.Ordinal);
        Assert.Contains("only when `conservative-therapy` = true", package, StringComparison.Ordinal);
        Assert.Contains("`none` (None of these)", package, StringComparison.Ordinal);

        var answers = JsonSerializer.SerializeToElement(new Dictionary<string, object>
        {
            ["symptom-weeks"] = 8, ["conservative-therapy"] = "yes",
            ["conservative-therapy-details"] = "Physical therapy for 6 weeks, no improvement", ["red-flags"] = "None of these",
        });
        var submitted = await client.CallAsync("submit_prior_auth", new()
        {
            ["platform_id"] = "local-sandbox", ["code"] = "72148", ["code_system"] = "cpt", ["questionnaire"] = LumbarMri, ["answers"] = answers,
        });
        Assert.Equal("pended", Field(submitted, "status"));
        Assert.DoesNotContain("pre_auth_ref:", submitted, StringComparison.Ordinal);

        await Task.Delay(TimeSpan.FromSeconds(1.2)); // SANDBOX_PAS_PEND_SECONDS defaults to 1
        var status = await client.CallAsync("get_prior_auth_status", new() { ["platform_id"] = "local-sandbox", ["claim_identifier"] = Field(submitted, "claim_identifier") });
        Assert.Equal("approved", Field(status, "status"));
        Assert.Matches(PreAuthRef(), Field(status, "pre_auth_ref"));
        Assert.Contains("item: 1: A1 Certified in total", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckPriorAuth_OfficeVisit_NotRequiredWithoutQuestionnaires()
    {
        await using var client = await fixture.ConnectAsync(await fixture.ConnectedKeyAsync());
        var packages = PackageCalls();

        var check = await client.CallAsync("check_prior_auth", new() { ["platform_id"] = "local-sandbox", ["code"] = "99213", ["code_system"] = "cpt" });

        Assert.Equal("not-required", Field(check, "decision"));
        Assert.Equal("no-auth", Field(check, "pa_needed"));
        Assert.DoesNotContain("questionnaires:", check, StringComparison.Ordinal);
        Assert.Equal(packages, PackageCalls());
    }

    [Fact]
    public async Task GetPolicyRules_UncoveredCode_GivesThePayersPolicyLinkAndReason()
    {
        await using var client = await fixture.ConnectAsync(await fixture.ConnectedKeyAsync());

        var rules = await client.CallAsync("get_policy_rules", new() { ["platform_id"] = "local-sandbox", ["code"] = "0042T", ["code_system"] = "cpt" });

        Assert.Equal("true", Field(rules, "published"));
        Assert.Contains("/payer-a/policies/investigational-services>", rules, StringComparison.Ordinal);
        Assert.Contains("reason: Investigational service (CPT Category III): not covered by this plan.", rules, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("72148X", "cpt", "not a valid CPT: 5 characters, 4 digits then a digit or a letter")]
    [InlineData("E601", "hcpcs", "not a valid HCPCS Level II: a letter then 4 digits")]
    [InlineData("123456", "snomed", "not a valid SNOMED CT")]
    public async Task CheckPriorAuth_BadCode_ErrorStatesTheExpectedForm(string code, string system, string expected)
    {
        await using var client = await fixture.ConnectAsync(Core.Identity.GatewayKey.Create());

        var error = await client.CallFailingAsync("check_prior_auth", new() { ["platform_id"] = "local-sandbox", ["code"] = code, ["code_system"] = system });

        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckPriorAuth_PayerDown_ErrorSaysUnreachableAndNoAnswer()
    {
        await using var client = await fixture.ConnectAsync(await fixture.ConnectedKeyAsync(), payerDown: true);

        var error = await client.CallFailingAsync("check_prior_auth", new() { ["platform_id"] = "local-sandbox", ["code"] = "99213", ["code_system"] = "cpt" });

        Assert.Contains("The payer's CDS Hooks service (platform 'local-sandbox', its discovery endpoint) could not be reached; no coverage answer was given.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitPriorAuth_CoverageNotFound_ErrorSaysNoActiveCoverage()
    {
        await using var client = await fixture.ConnectAsync(await fixture.ConnectedKeyAsync());

        var error = await client.CallFailingAsync("submit_prior_auth", new()
        {
            ["platform_id"] = "local-sandbox", ["code"] = "99213", ["code_system"] = "cpt", ["coverage_id"] = "no-such-coverage",
        });

        Assert.Contains("answered 404 to the read of Coverage/no-such-coverage", error, StringComparison.Ordinal);
    }

    private int PackageCalls() => fixture.Sandbox.Output.Split('\n').Count(l => l.Contains("/Questionnaire/$questionnaire-package", StringComparison.Ordinal));

    [GeneratedRegex("^SBX-PA-[0-9]{6}$")]
    private static partial Regex PreAuthRef();
}
