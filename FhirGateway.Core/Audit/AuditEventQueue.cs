using System.Threading.Channels;

namespace FhirGateway.Core.Audit;

/// <summary>
/// The bounded hand-off between the request that logs an audit event and the background writer: adding never waits;
/// when the writer is behind (the audit server down) and the queue is full, the event is dropped and counted.
/// </summary>
internal sealed class AuditEventQueue
{
    /// <summary>Events waiting at most; about 5 MB.</summary>
    public const int Capacity = 10_000;

    private readonly Channel<AuditRecord> _channel = Channel.CreateBounded<AuditRecord>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    private long _dropped;

    public ChannelReader<AuditRecord> Reader => _channel.Reader;

    /// <summary>Events dropped since start: the queue full, or the server refusing them after the retries.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Add(AuditRecord record)
    {
        if (!_channel.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Counts events the writer gave up on; returns the total.</summary>
    public long Drop(int count) => Interlocked.Add(ref _dropped, count);
}
