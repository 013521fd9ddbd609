using System.Diagnostics;

namespace FhirGateway.ProxyBench;

/// <summary>
/// The open loop: one request due every 1/rate seconds, evenly spaced and handed to the connections in turn, as
/// wrk2 paces. The pacer thread sleeps to each due moment with nanosecond timers and sends on that connection
/// itself; a thread per connection blocks on its socket for the answer, so no send or answer waits for a thread-pool
/// hand-off in this process. A connection still busy with its last answer sends the request it owes as soon as that
/// answer is read.
/// <para>
/// Until 2026-11-29 each connection waited for its own due moment with <see cref="Task.Delay(TimeSpan)"/>. The timer
/// queue fires about once a millisecond and releases every timer that has come due at once, so the connections fell
/// into step: at 6,400 requests a second on 16 connections, 92 % of sends left within 5 µs of the one before, in
/// bursts of ~15. "Half load" was then 15 requests at once every 2.5 ms, and a request's latency was mostly its place
/// in that burst's queue, which grows with a hop's CPU per request, not what a hop adds below saturation.
/// </para>
/// </summary>
internal static class Pacer
{
    /// <summary>
    /// Runs the schedule for <paramref name="duration"/> on this thread; returns each connection's latencies and
    /// errors, every recorded request's send time and latency in order of sending, and the share of sends that left
    /// less than a quarter of the interval after the one before (an even schedule keeps it near zero; a pacer kept off
    /// the CPU catches up in bursts).
    /// </summary>
    public static ((List<long> Latencies, long Errors)[] PerConnection, (long Sent, long Latency)[] Requests, double Bunched) Run(
        RawHttpConnection[] connections, double rate, TimeSpan duration, bool record)
    {
        var slots = connections.Select(c => new Slot(c, record)).ToArray();
        var readers = slots.Select(s => new Thread(s.ReadAnswers) { IsBackground = true, Name = "open-loop reader" }).ToArray();
        foreach (var reader in readers)
        {
            reader.Start();
        }

        PreciseSleep.UseFineTimerSlack();
        var ticksPerRequest = Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        try
        {
            for (long due = 0; ; due++)
            {
                var at = start + (long)(due * ticksPerRequest);
                if (at >= end)
                {
                    break;
                }

                PreciseSleep.Until(at);
                slots[due % slots.Length].Due();
            }
        }
        finally
        {
            foreach (var slot in slots)
            {
                slot.Finish();
            }

            foreach (var reader in readers)
            {
                reader.Join();
            }
        }

        if (slots.Select(s => s.Failure).FirstOrDefault(f => f is not null) is { } failure)
        {
            throw new InvalidOperationException("An open-loop connection failed.", failure);
        }

        // A connection has one request in flight at a time, so its n-th answer is its n-th send's.
        var requests = slots.SelectMany(s => s.Sends.Zip(s.Latencies)).OrderBy(r => r.First).ToArray();
        var close = (long)(ticksPerRequest / 4);
        var bunched = requests.Length < 2 ? 0 : requests.Zip(requests.Skip(1), (a, b) => b.First - a.First < close).Count(b => b) / (double)(requests.Length - 1);
        return ([.. slots.Select(s => (s.Latencies, s.Errors))], requests, bunched);
    }

    /// <summary>One connection's side of the schedule.</summary>
    private sealed class Slot(RawHttpConnection connection, bool record)
    {
        /// <summary>Requests come due and not yet answered, the one in flight included; who moves it from 0 to 1 sends.</summary>
        private int _pending;
        private long _sentAt;
        private volatile bool _finished;

        public List<long> Latencies { get; } = new(record ? 1 << 16 : 0);

        /// <summary>Written by whoever sends; sends never overlap (see <see cref="_pending"/>).</summary>
        public List<long> Sends { get; } = new(record ? 1 << 16 : 0);

        public long Errors { get; private set; }

        public Exception? Failure { get; private set; }

        /// <summary>On the pacer's thread: send now, or when the answer in flight is read.</summary>
        public void Due()
        {
            if (_finished || Interlocked.Increment(ref _pending) != 1)
            {
                return;
            }

            try
            {
                Send();
            }
            catch (System.Net.Sockets.SocketException failure)
            {
                // Nothing is in flight, so this connection's reader would wait for an answer forever: stop the
                // connection, and the run reports the failure once the readers are done.
                Failure = failure;
                _finished = true;
                Volatile.Write(ref _pending, 0);
            }
        }

        public void Finish() => _finished = true;

        /// <summary>The connection's own thread: reads each answer, then sends what is owed until the end.</summary>
        public void ReadAnswers()
        {
            try
            {
                while (true)
                {
                    if (!connection.WaitForAnswer(TimeSpan.FromMilliseconds(50)))
                    {
                        if (_finished && Volatile.Read(ref _pending) == 0)
                        {
                            return;
                        }

                        continue;
                    }

                    var status = connection.ReadAnswer();
                    if (record)
                    {
                        Latencies.Add(Stopwatch.GetTimestamp() - Volatile.Read(ref _sentAt));
                        Errors += status == 200 ? 0 : 1;
                    }

                    if (Interlocked.Decrement(ref _pending) > 0)
                    {
                        if (_finished)
                        {
                            // What came due but was not sent before the end is not sent.
                            Volatile.Write(ref _pending, 0);
                            return;
                        }

                        Send();
                    }
                }
            }
            catch (Exception failure) when (failure is IOException or InvalidOperationException or System.Net.Sockets.SocketException)
            {
                Failure = failure;
            }
        }

        private void Send()
        {
            var now = Stopwatch.GetTimestamp();
            Volatile.Write(ref _sentAt, now);
            if (record)
            {
                Sends.Add(now);
            }

            connection.Send();
        }
    }
}
