using System.Text.Json;
using FhirGateway.Testing;
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

    /// <summary>
    /// Records every progress notification the session receives while it lives. The SDK handles incoming messages
    /// concurrently and drops a call's own progress handler when the answer arrives, so a notification sent just
    /// before the answer may never reach the <see cref="IProgress{T}"/> given to the call.
    /// </summary>
    public static IAsyncDisposable RecordProgress(this McpClient client, ProgressLog log) =>
        client.RegisterNotificationHandler(NotificationMethods.ProgressNotification, (notification, _) =>
        {
            if (notification.Params?.Deserialize<ProgressNotificationParams>(McpJsonUtilities.DefaultOptions) is { } progress)
            {
                log.Report(progress.Progress);
            }

            return ValueTask.CompletedTask;
        });

    public static string Text(CallToolResult result) =>
        string.Join("\n", result.Content.OfType<TextContentBlock>().Select(c => c.Text));
}

/// <summary>Checks every answer makes.</summary>
internal static class McpAssert
{
    /// <summary>No JWT (an access or id token) in anything the MCP client sees.</summary>
    public static void NoToken(string text) => Assert.False(Jwt.IsIn(text), "a JWT in what the MCP client sees");
}

/// <summary>Collects progress notifications as they arrive (synchronously, unlike <see cref="Progress{T}"/>).</summary>
internal sealed class ProgressLog : IProgress<ProgressNotificationValue>
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<ProgressNotificationValue> _values = new();

    private readonly SemaphoreSlim _arrived = new(0);

    public IReadOnlyCollection<ProgressNotificationValue> Values => _values;

    public void Report(ProgressNotificationValue value)
    {
        _values.Enqueue(value);
        _arrived.Release();
    }

    /// <summary>
    /// Waits until <paramref name="count"/> notifications have arrived: the SDK sends progress without awaiting it,
    /// so the last one may land just after the tool's answer.
    /// </summary>
    public async Task WaitForAsync(int count, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        for (var seen = 0; seen < count; seen++)
        {
            await _arrived.WaitAsync(deadline.Token);
        }
    }
}
