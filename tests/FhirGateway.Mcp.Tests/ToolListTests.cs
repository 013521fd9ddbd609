using System.Text.Json;

namespace FhirGateway.Mcp.Tests;

/// <summary>What an MCP client discovers: every tool, described, with a described JSON schema; resources and prompts.</summary>
[Collection(McpGatewayGroup.Name)]
public sealed class ToolListTests(McpFixture fixture)
{
    public static readonly string[] ExpectedTools =
    [
        "list_platforms", "start_auth", "wait_for_auth", "get_auth_status", "revoke_auth",
        "check_prior_auth", "get_questionnaire_package", "get_policy_rules", "submit_prior_auth", "get_prior_auth_status",
        "get_capabilities", "search", "get_next_page", "count", "read", "create", "update", "patch", "delete", "execute_operation", "bulk_export",
    ];

    [Fact]
    public async Task ListTools_EveryTool_HasDescriptionAndDescribedParameters()
    {
        await using var client = await fixture.ConnectAsync(key: null);

        var tools = await client.ListToolsAsync();

        Assert.Empty(ExpectedTools.Except(tools.Select(t => t.Name)));
        foreach (var tool in tools)
        {
            Assert.False(string.IsNullOrWhiteSpace(tool.Description), $"{tool.Name} has no description");
            var schema = tool.ProtocolTool.InputSchema;
            Assert.Equal("object", schema.GetProperty("type").GetString());
            if (schema.TryGetProperty("properties", out var properties))
            {
                foreach (var parameter in properties.EnumerateObject())
                {
                    Assert.True(
                        parameter.Value.TryGetProperty("description", out var description) && description.ValueKind == JsonValueKind.String && description.GetString()!.Length > 0,
                        $"{tool.Name}.{parameter.Name} has no description");
                }
            }
        }
    }

    [Fact]
    public async Task ListPrompts_Always_OffersTheThreeWorkflows()
    {
        await using var client = await fixture.ConnectAsync(key: null);

        var prompts = await client.ListPromptsAsync();

        Assert.Equal(["connect_and_query", "patient_summary", "prior_auth_check"], prompts.Select(p => p.Name).Order(StringComparer.Ordinal));
        var prompt = await client.GetPromptAsync("patient_summary", new Dictionary<string, object?> { ["platform_id"] = "local-sandbox" });
        Assert.Contains("local-sandbox", JsonSerializer.Serialize(prompt.Messages), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadResource_Platforms_ListsPublicViewsWithoutCredentials()
    {
        await using var client = await fixture.ConnectAsync(key: null);

        var all = await client.ReadResourceAsync("fhir://platforms");
        var one = await client.ReadResourceAsync("fhir://platform/sandbox-local");

        var allJson = JsonDocument.Parse(Text(all)).RootElement;
        Assert.True(allJson.GetProperty("total").GetInt32() > 10);
        Assert.Contains(allJson.GetProperty("platforms").EnumerateArray(), p => p.GetProperty("id").GetString() == "local-sandbox");
        var oneJson = JsonDocument.Parse(Text(one)).RootElement;
        Assert.Equal("local-sandbox", oneJson.GetProperty("id").GetString());
        Assert.Equal(fixture.Sandbox.FhirBase(), oneJson.GetProperty("fhir_base_url").GetString());
        Assert.DoesNotContain("client_id", Text(all), StringComparison.Ordinal);
        Assert.DoesNotContain("client_secret", Text(all), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadResource_UnknownPlatform_IsAnErrorNamingIt()
    {
        await using var client = await fixture.ConnectAsync(key: null);

        var error = await Assert.ThrowsAnyAsync<ModelContextProtocol.McpException>(() => client.ReadResourceAsync("fhir://platform/no-such-platform").AsTask());

        Assert.Contains("no-such-platform", error.Message, StringComparison.Ordinal);
    }

    private static string Text(ModelContextProtocol.Protocol.ReadResourceResult result) =>
        Assert.IsType<ModelContextProtocol.Protocol.TextResourceContents>(Assert.Single(result.Contents)).Text;
}
