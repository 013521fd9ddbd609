using System.Net;
using Microsoft.Extensions.Options;

namespace FhirGateway.Mcp.Hosting;

/// <summary>
/// DNS-rebinding protection for <c>/mcp</c> (MCP 2025-06-18 transports §2.0.1 Security Warning: servers must
/// validate Origin): a Host or an Origin outside <see cref="McpGatewayOptions.AllowedHosts"/> gets 403 before the
/// MCP handler runs. A page on evil.example whose name rebinds to 127.0.0.1 still sends Host: evil.example.
/// </summary>
internal sealed partial class HostGuard(RequestDelegate next, IOptions<McpGatewayOptions> options, ILogger<HostGuard> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var allowed = options.Value.AllowedHosts;
        var host = context.Request.Host.Host;
        if (!allowed.Contains(host))
        {
            return RefuseAsync(context, "Host");
        }

        if (context.Request.Headers.Origin is { Count: > 0 } origins
            && origins.Any(origin => !Uri.TryCreate(origin, UriKind.Absolute, out var uri) || !allowed.Contains(uri.Host)))
        {
            return RefuseAsync(context, "Origin");
        }

        return next(context);
    }

    /// <summary>A host name as configured, lower-cased; null when <paramref name="entry"/> is not one.</summary>
    public static string? NormalizeHost(string entry)
    {
        if (entry.Length > 2 && entry[0] == '[' && entry[^1] == ']')
        {
            return IPAddress.TryParse(entry[1..^1], out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                ? entry.ToLowerInvariant()
                : null;
        }

        return Uri.CheckHostName(entry) is UriHostNameType.Dns or UriHostNameType.IPv4 ? entry.ToLowerInvariant() : null;
    }

    private Task RefuseAsync(HttpContext context, string header)
    {
        LogRefused(logger, header);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return context.Response.WriteAsync(
            $"Forbidden: this {header} is not allowed on the MCP endpoint. Allowed hosts are set with {McpGatewayOptions.AllowedHostsKey}.");
    }

    [LoggerMessage(EventId = 6100, Level = LogLevel.Warning, Message = "Refused an MCP request with a foreign {Header} header (DNS-rebinding protection).")]
    private static partial void LogRefused(ILogger logger, string header);
}
