using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Microsoft.Extensions.Logging;

namespace FhirGateway.Core.Audit;

/// <summary>
/// The audit trail on standard output: each event of <see cref="GatewayAudit.Category"/> as one line (UTC time, the
/// category and event id, the message), written by a thread of its own at most every <see cref="FlushInterval"/>, all
/// that has arrived in one write. The console logger it replaces for this category prints no time, and wakes its
/// writer thread and makes a write call for every message (bench/FhirGateway.ProxyBench, old and new build in one
/// run: ~3 % less gateway CPU per proxied read, within the noise in one of three runs). A line is written as UTF-8
/// into the pending buffer by the request that logs it, its message rendered from the event's values
/// (<see cref="AuditMessageTemplate"/>): no string and no queue item per event. Nothing is dropped: when output is
/// blocked and <see cref="Capacity"/> events wait, the request that logs waits too, as it would with the console logger.
/// </summary>
/// <remarks>
/// The writer is a thread, not a task, so the audit trail gives the thread pool no work. Until the fourteenth session
/// it was a task that awaited a semaphore and a 50 ms delay: each batch woke a pool worker, which then spun (yielding
/// the core) looking for more work before it slept. With inline socket completions nothing else on a proxied request
/// reaches the pool, so those batches were its only work, and the spinning took the CPU: ProxyBench with the proxies on
/// a core of their own (<c>--proxy-cpus</c>), a quarter load of reads: two pool workers yielding ~2,000 times a
/// second each, 92 % of the workers' samples in the spin, 0.8–1.5 preemptions of the gateway's threads per request
/// where YARP had 0.01.
/// </remarks>
[ProviderAlias("AuditLog")]
internal sealed class AuditLogProvider : ILoggerProvider
{
    /// <summary>Events waiting at most.</summary>
    public const int Capacity = 10_000;

    /// <summary>How long the writer lets events gather after the first: a line is out within this, or at shutdown.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(50);

    private const int BufferBytes = 64 * 1024;

    /// <summary>The time, the category, the event id and the line's end, with room to spare.</summary>
    private const int FrameBytes = 96;

    /// <summary>
    /// Guards the pending buffer; waited on by the writer for the first event of a batch, and by a request when
    /// <see cref="Capacity"/> events are pending.
    /// </summary>
    private readonly object _gate = new();
    private readonly ConcurrentDictionary<int, KnownTemplate> _templates = new();
    private readonly Stream _output;
    private readonly TimeProvider _time;
    private readonly Thread _writer;
    private ArrayBufferWriter<byte> _pending = new(BufferBytes);
    private ArrayBufferWriter<byte> _writing = new(BufferBytes);
    private int _pendingEvents;
    private bool _completed;

    public AuditLogProvider(Stream output, TimeProvider time)
    {
        _output = output;
        _time = time;
        _writer = new Thread(Write) { IsBackground = true, Name = "Audit log writer" };
        _writer.Start();
    }

    public ILogger CreateLogger(string categoryName) =>
        categoryName == GatewayAudit.Category ? new AuditLogger(this) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>Writes what is pending, then stops.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }

        _writer.Join(TimeSpan.FromSeconds(5));
    }

    private void Add<TState>(DateTimeOffset time, int eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state as IReadOnlyList<KeyValuePair<string, object?>>;
        var template = values is null ? null : Template(eventId, values);
        var messageBytes = template?.MaxBytes(values!) ?? -1;
        var message = messageBytes < 0 ? formatter(state, exception) : null;
        if (message is not null)
        {
            messageBytes = Encoding.UTF8.GetMaxByteCount(message.Length);
        }

        lock (_gate)
        {
            while (_pendingEvents >= Capacity && !_completed)
            {
                // Full: wait for the writer to take what is pending rather than lose an audit event.
                Monitor.Wait(_gate);
            }

            if (_completed)
            {
                return; // after shutdown: too late to be written
            }

            var span = _pending.GetSpan(FrameBytes + messageBytes);
            var written = WriteTime(time.UtcDateTime, span);
            if (!Utf8.TryWrite(span[written..], CultureInfo.InvariantCulture, $" {GatewayAudit.Category}[{eventId}] ", out var frame))
            {
                throw new InvalidOperationException("An audit line did not fit the space measured for it.");
            }

            written += frame;
            written += message is null ? template!.Write(values!, span[written..]) : Encoding.UTF8.GetBytes(message, span[written..]);
            span[written++] = (byte)'\n';
            _pending.Advance(written);
            if (_pendingEvents++ == 0)
            {
                // The first of a batch: the writer waits for it (and nothing else waits while events are pending).
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>
    /// <paramref name="utc"/> as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>, digit by digit: the same text as that custom format
    /// (<see cref="TimeFormat"/>) without interpreting it for every line (a line per proxied call).
    /// </summary>
    /// <returns>The bytes written: <see cref="TimeBytes"/>.</returns>
    internal static int WriteTime(DateTime utc, Span<byte> destination)
    {
        var time = destination[..TimeBytes];
        var (year, month, day) = utc;
        var milliseconds = (int)(utc.TimeOfDay.Ticks / TimeSpan.TicksPerMillisecond);
        Digits(time[..4], year);
        time[4] = (byte)'-';
        Digits(time[5..7], month);
        time[7] = (byte)'-';
        Digits(time[8..10], day);
        time[10] = (byte)'T';
        Digits(time[11..13], milliseconds / 3_600_000);
        time[13] = (byte)':';
        Digits(time[14..16], milliseconds / 60_000 % 60);
        time[16] = (byte)':';
        Digits(time[17..19], milliseconds / 1_000 % 60);
        time[19] = (byte)'.';
        Digits(time[20..23], milliseconds % 1_000);
        time[23] = (byte)'Z';
        return TimeBytes;

        static void Digits(Span<byte> digits, int value)
        {
            for (var i = digits.Length - 1; i >= 0; i--)
            {
                digits[i] = (byte)('0' + value % 10);
                value /= 10;
            }
        }
    }

    /// <summary>The format <see cref="WriteTime"/> writes.</summary>
    internal const string TimeFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";

    internal const int TimeBytes = 24;

    /// <summary>The event's template, split the first time the event id is seen (null: the formatter's to render).</summary>
    private AuditMessageTemplate? Template(int eventId, IReadOnlyList<KeyValuePair<string, object?>> state)
    {
        var format = AuditMessageTemplate.FormatOf(state);
        var known = _templates.GetOrAdd(eventId, static (_, state) => new KnownTemplate(AuditMessageTemplate.FormatOf(state), AuditMessageTemplate.Parse(state)), state);
        return ReferenceEquals(known.Format, format) || known.Format == format
            ? known.Template
            : AuditMessageTemplate.Parse(state); // another template under the same id
    }

    /// <summary>An event id's template as first seen, and what it splits into.</summary>
    private sealed record KnownTemplate(string? Format, AuditMessageTemplate? Template);

    /// <summary>The writer's thread: waits for an event, lets others gather for <see cref="FlushInterval"/>, writes them all.</summary>
    private void Write()
    {
        while (true)
        {
            bool completed;
            lock (_gate)
            {
                while (_pendingEvents == 0 && !_completed)
                {
                    Monitor.Wait(_gate);
                }

                // Gather, unless shutting down: then what is pending goes out now.
                var due = Environment.TickCount64 + (long)FlushInterval.TotalMilliseconds;
                for (var left = FlushInterval.TotalMilliseconds; left > 0 && !_completed; left = due - Environment.TickCount64)
                {
                    Monitor.Wait(_gate, TimeSpan.FromMilliseconds(left));
                }

                (_pending, _writing) = (_writing, _pending);
                _pendingEvents = 0;
                completed = _completed;
                Monitor.PulseAll(_gate);
            }

            Flush(_writing);
            if (completed)
            {
                return;
            }
        }
    }

    private void Flush(ArrayBufferWriter<byte> batch)
    {
        if (batch.WrittenCount == 0)
        {
            return;
        }

        try
        {
            _output.Write(batch.WrittenSpan);
            _output.Flush();
        }
        catch (IOException)
        {
            // Output closed (the process is going away): nothing else can be done with these lines.
        }

        batch.ResetWrittenCount();
    }

    private sealed class AuditLogger(AuditLogProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Add(provider._time.GetUtcNow(), eventId.Id, state, exception, formatter);
            }
        }
    }
}
