namespace FhirGateway.Mcp.Tests.Faults;

/// <summary>Tools that act on the caller's own connections, called by an MCP client that sends no gateway key.</summary>
[Collection(McpGatewayGroup.Name)]
public sealed class MissingKeyTests(McpFixture fixture)
{
    [Theory]
    [InlineData("wait_for_auth")]
    [InlineData("revoke_auth")]
    public async Task OwnConnectionTool_NoKey_ErrorTellsTheHeaderAndHowToGetAKey(string tool)
    {
        await using var anonymous = await fixture.ConnectAsync(key: null);

        var error = await anonymous.CallFailingAsync(tool, new() { ["platform_id"] = "local-sandbox" });

        // What an agent needs to recover on its own: the header, the tool that mints a key, and the next step.
        Assert.Contains("X-FHIR-Gateway-Key: <gateway_key>", error, StringComparison.Ordinal);
        Assert.Contains("call start_auth with a platform_id", error, StringComparison.Ordinal);
        Assert.Contains("wait_for_auth", error, StringComparison.Ordinal);
    }
}
