using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace FhirGateway.ProxyBench;

/// <summary>
/// How many methods a .NET process's JIT has compiled so far, tier-ups included (its runtime's method-load events over
/// EventPipe), so a warm-up can last until the process has reached its optimised code (<see cref="WarmUp"/>). Events
/// arrive in batches, a moment late; a count compared with an earlier one is late by the same.
/// </summary>
internal sealed class JitMeter : EventPipeMeter
{
    private long _compiled;

    private JitMeter(EventPipeSession session)
        : base(session)
    {
        Source.Clr.MethodLoadVerbose += _ => Interlocked.Increment(ref _compiled);
        Start();
    }

    public long Compiled => Interlocked.Read(ref _compiled);

    public static async Task<JitMeter> StartAsync(int processId) => new(await OpenAsync(processId, ClrTraceEventParser.Keywords.Jit));
}
