using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace FhirGateway.Api.Hosting;

/// <summary>
/// Where a request runs. When the runtime inlines socket completions (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>,
/// as the AppHost deploys the Api), Kestrel also runs each request on the socket thread that read it
/// (<see cref="SocketTransportOptions.UnsafePreferInlineScheduling"/>) rather than handing it to a pool thread and its
/// answer to an I/O queue thread: a request then goes from its bytes to its answer on the socket threads, one per core,
/// as nginx's workers do. Measured at half load with an evenly paced open loop, it cut the Api's CPU per request and
/// its added p50 by a third to a half (bench/HISTORY.md, thirteenth session).
/// <para>
/// Safe here because nothing on the Api's request path blocks a thread waiting for other I/O: the token stores,
/// upstream calls and Bundle relays are asynchronous, and the session is a random id, not a Data Protection payload.
/// The one wait is the audit trail's when 10,000 events are pending, and its writer is a thread of its own. Work that
/// is long on the CPU holds the socket thread's other connections meanwhile, as it already did after an upstream answer
/// with inline completions alone.
/// </para>
/// </summary>
internal static class InlineScheduling
{
    /// <summary>The runtime's own switch, read from configuration (environment variables are part of it).</summary>
    public const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static void AddInlineScheduling(this IServiceCollection services) =>
        services.AddOptions<SocketTransportOptions>().Configure<IConfiguration>(
            (options, configuration) => options.UnsafePreferInlineScheduling = configuration[InlineCompletions] == "1");
}
