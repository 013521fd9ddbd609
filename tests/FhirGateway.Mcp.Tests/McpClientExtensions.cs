using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace FhirGateway.Mcp.Tests;

/// <summary>Tool calls as the tests use them: the answer's text, or the error's text.</summary>
internal static class McpClientExtensions
{
    /// <summary>Calls a tool and returns its text; fails the test when the tool answered an error.</summary>
    public static async Task<string> CallAsync(this McpClient client, string tool, Dictionary<string, object?> arguments, IProgress<ProgressNotificationValue>? progress = null)
    {
        var result = await client.CallToolAsync(tool, arguments, progress);
        var text = Text(result);
        Assert.False(result.IsError == true, $"{tool} answered an error: {text}");
        McpAssert.NoToken(text);
        return text;
    }

    /// <summary>Calls a tool that must answer an error, and returns the error's text.</summary>
    public static async Task<string> CallFailingAsync(this McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync(tool, arguments);
        var text = Text(result);
        Assert.True(result.IsError == true, $"{tool} did not answer an error: {text}");
        McpAssert.NoToken(text);
        return text;
    }

    public static string Text(CallToolResult result) =>
        string.Join("\n", result.Content.OfType<TextContentBlock>().Select(c => c.Text));
}

/// <summary>Checks every answer makes.</summary>
internal static class McpAssert
{
    /// <summary>No JWT (an access or id token) in anything the MCP client sees.</summary>
    public static void NoToken(string text) => Assert.DoesNotContain("eyJ", text, StringComparison.Ordinal);
}

/// <summary>Collects progress notifications as they arrive (synchronously, unlike <see cref="Progress{T}"/>).</summary>
internal sealed class ProgressLog : IProgress<ProgressNotificationValue>
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<ProgressNotificationValue> _values = new();

    public IReadOnlyCollection<ProgressNotificationValue> Values => _values;

    public void Report(ProgressNotificationValue value) => _values.Enqueue(value);
}
