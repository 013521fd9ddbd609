using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace FhirGateway.ProxyBench;

/// <summary>
/// A session on a .NET process's runtime events (EventPipe) whose events a meter counts as they stream in: the
/// subclass subscribes to <see cref="Source"/> in its constructor, then calls <see cref="Start"/>.
/// </summary>
internal abstract class EventPipeMeter : IAsyncDisposable
{
    private readonly EventPipeSession _session;
    private Task _reader = Task.CompletedTask;

    protected EventPipeMeter(EventPipeSession session)
    {
        _session = session;
        Source = new EventPipeEventSource(session.EventStream);
    }

    protected EventPipeEventSource Source { get; }

    /// <summary>Reads the events on a thread of its own, each dispatched in turn.</summary>
    protected void Start() => _reader = Task.Run(Source.Process);

    /// <summary>
    /// Asynchronous, not <c>StartEventPipeSession</c>: this process inlines socket completions, so its caller may be
    /// on the socket thread, and a synchronous read of the diagnostics socket there waits for that same thread
    /// (it hung this way on one core).
    /// </summary>
    protected static Task<EventPipeSession> OpenAsync(int processId, ClrTraceEventParser.Keywords keywords) =>
        new DiagnosticsClient(processId).StartEventPipeSessionAsync(
            [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Verbose, (long)keywords)], requestRundown: false, token: CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _session.StopAsync(CancellationToken.None);
        }
        catch (ServerNotAvailableException)
        {
            // The process has already exited.
        }

        await _reader.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        Source.Dispose();
        _session.Dispose();
    }
}
