using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using FhirGateway.Core.Auth;
using FhirGateway.Core.Errors;
using FhirGateway.Core.Identity;
using FhirGateway.Core.Platforms;
using FhirGateway.Core.Tokens;
using FhirGateway.Mcp.Identity;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace FhirGateway.Mcp.Tools;

/// <summary>
/// SMART authorization for agents: start a login the user finishes in the browser (the callback lands on the
/// Api), wait for it, see the connections, and revoke one. Answers carry connection state, never a token.
/// </summary>
[McpServerToolType]
[SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "MCP parameter names are the tool's wire contract.")]
public sealed class AuthTools(McpCaller caller, IPlatformRegistry platforms, ISmartAuthorization authorization, ITokenStore store, AuthWait wait, TimeProvider time)
{
    [McpServerTool(Name = "start_auth", OpenWorld = true)]
    [Description("Starts connecting a FHIR platform for the user (SMART App Launch). Returns the URL the user must open in a browser to log in and consent; " +
        "then call wait_for_auth. When this MCP client sends no gateway key, also returns a new key the user must configure the client to send.")]
    public async Task<string> StartAuth(
        [Description("Platform id or alias, from list_platforms, e.g. 'local-sandbox'.")] string platform_id,
        [Description("SMART scopes to request, space-separated (e.g. 'launch/patient patient/*.rs offline_access'). Leave out for the platform's defaults.")] string? scopes = null,
        CancellationToken cancellationToken = default)
    {
        var key = caller.Owner is null ? GatewayKey.Create() : null;
        var owner = key is null ? caller.RequireOwner() : GatewayKey.ToOwner(key);
        var requested = string.IsNullOrWhiteSpace(scopes) ? null : scopes.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var start = await authorization.StartAsync(owner, platform_id, requested, returnUrl: null, cancellationToken);

        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Ask the user to open this URL in a browser and log in to {start.PlatformId} (valid until {start.ExpiresAt.UtcDateTime:HH:mm} UTC):")
            .AppendLine(CultureInfo.InvariantCulture, $"authorize_url: {start.AuthorizeUrl.AbsoluteUri}")
            .AppendLine(CultureInfo.InvariantCulture, $"Then call wait_for_auth with platform_id '{start.PlatformId}'.");
        if (key is not null)
        {
            text.AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"gateway_key: {key}")
                .AppendLine(CultureInfo.InvariantCulture, $"Configure your MCP client to send the header {GatewayKey.HeaderName}: {key} (the same header works on the REST API); this key owns the connection being authorized.")
                .AppendLine("Until the client sends it, calls from this client do not see the connection. Keep the key secret: whoever holds it uses the connection.");
        }

        return text.ToString();
    }

    [McpServerTool(Name = "wait_for_auth", ReadOnly = true, Idempotent = true)]
    [Description("Waits until the user finishes the login started with start_auth, and answers as soon as it lands (or fails), or at the timeout. " +
        "Sends progress notifications every second while waiting.")]
    public async Task<string> WaitForAuth(
        [Description("Platform id or alias, as given to start_auth.")] string platform_id,
        IProgress<ProgressNotificationValue> progress,
        [Description("Seconds to wait, 0 to 300; default 60.")] double? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var seconds = timeout ?? AuthWait.DefaultSeconds;
        if (!(seconds is >= 0 and <= AuthWait.MaxSeconds))
        {
            throw new McpException($"timeout must be between 0 and {AuthWait.MaxSeconds} seconds.");
        }

        var owner = caller.RequireOwner();
        var platform = platforms.Find(platform_id) ?? throw new PlatformNotFoundException(platform_id);
        var outcome = await wait.WaitAsync(owner, platform.Id, TimeSpan.FromSeconds(seconds), progress, cancellationToken);
        return outcome switch
        {
            { Connection: { } connected } => $"connected: {ConnectionText.Line(connected)}",
            { Failure: { } failure } => throw new McpException($"The login to {platform.Id} failed: {failure} Call start_auth to try again."),
            _ => $"pending: no login to {platform.Id} completed within {seconds.ToString(CultureInfo.InvariantCulture)} s. " +
                "Call wait_for_auth again once the user has logged in (the authorize URL stays valid for 10 minutes), or start_auth for a new one.",
        };
    }

    [McpServerTool(Name = "get_auth_status", ReadOnly = true, Idempotent = true)]
    [Description("Lists this client's platform connections: state (connected, expired, reauthorization_required), patient in context, user, expiry, scopes. Never shows tokens.")]
    public async Task<string> GetAuthStatus(
        [Description("Only this platform (id or alias). Leave out for all connections.")] string? platform_id = null,
        CancellationToken cancellationToken = default)
    {
        var platformId = platform_id is null ? null : (platforms.Find(platform_id) ?? throw new PlatformNotFoundException(platform_id)).Id;
        if (caller.Owner is not { } owner)
        {
            return McpCaller.NoKey;
        }

        var now = time.GetUtcNow();
        var connections = (await store.ListAsync(owner, cancellationToken))
            .Where(c => platformId is null || string.Equals(c.PlatformId, platformId, StringComparison.OrdinalIgnoreCase))
            .Select(c => ConnectionStatus.From(c, now))
            .OrderBy(c => c.PlatformId, StringComparer.Ordinal)
            .ToList();
        if (connections.Count == 0)
        {
            return platformId is null
                ? "No platform connections. Call start_auth with a platform_id from list_platforms."
                : $"{platformId} | not connected. Call start_auth with platform_id '{platformId}'.";
        }

        return string.Join('\n', connections.Select(ConnectionText.Line));
    }

    [McpServerTool(Name = "revoke_auth", Destructive = true, Idempotent = true, OpenWorld = true)]
    [Description("Disconnects a platform: revokes the grant at the platform where it supports revocation, and forgets the connection here.")]
    public async Task<string> RevokeAuth(
        [Description("Platform id or alias.")] string platform_id,
        CancellationToken cancellationToken = default)
    {
        var owner = caller.RequireOwner();
        var platform = platforms.Find(platform_id) ?? throw new PlatformNotFoundException(platform_id);
        return await authorization.LogoutAsync(owner, platform.Id, cancellationToken)
            ? $"Disconnected from {platform.Id}: the connection is removed (and revoked at the platform where it supports revocation)."
            : $"There was no connection to {platform.Id} to remove.";
    }
}
