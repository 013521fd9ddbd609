namespace FhirGateway.Mcp.Tests;

/// <summary>The coverage tools exist with their final parameters and say plainly they do nothing yet.</summary>
[Collection(McpGatewayGroup.Name)]
public sealed class CoverageToolTests(McpFixture fixture)
{
    [Theory]
    [InlineData("check_prior_auth")]
    [InlineData("get_questionnaire_package")]
    [InlineData("get_policy_rules")]
    public async Task CoverageTool_Called_AnswersNotAvailableYet(string tool)
    {
        await using var client = await fixture.ConnectAsync(key: null);

        var error = await client.CallFailingAsync(tool, new()
        {
            ["platform_id"] = "local-sandbox", ["code"] = "72148", ["code_system"] = "cpt", ["coverage_id"] = "cov-1",
        });

        Assert.Contains("not available yet: coverage support lands with the coverage work", error, StringComparison.Ordinal);
    }
}
