using System.Globalization;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks.Sources;
using FhirGateway.Bench;

namespace FhirGateway.Benchmarks.Pipeline;

/// <summary>
/// The upstream as HTTP/1.1 bytes in memory, under each proxy's own <see cref="SocketsHttpHandler"/>
/// (<see cref="Connect"/> is its <see cref="SocketsHttpHandler.ConnectCallback"/>): the handler writes each request
/// and parses each answer as it would over a socket, keeps the connection alive and checks it before reuse, and every
/// GET is answered at once with the same US Core Patient (~1.5 KB) and the headers ProxyBench's canned upstream sends.
/// So the proxies' HTTP client work is measured (the gateway's ~1 KB bearer header included), not a socket's.
/// </summary>
internal sealed class CannedUpstream
{
    /// <summary>The answer's body, built once (<see cref="CannedFhir.Patient"/> builds a new array each call).</summary>
    public static readonly byte[] Patient = CannedFhir.Patient();

    private static readonly byte[] Response =
    [
        .. Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"""
            HTTP/1.1 200 OK
            Content-Length: {Patient.Length}
            Content-Type: application/fhir+json; charset=utf-8
            Date: Sun, 30 Nov 2025 03:00:00 GMT
            Server: Kestrel
            ETag: {CannedFhir.PatientETag}
            Last-Modified: Sun, 02 Nov 2025 09:14:27 GMT


            """).ReplaceLineEndings("\r\n")),
        .. Patient,
    ];

    /// <summary>While set, each request's head is kept (a copy per request: for checks, not while measuring).</summary>
    public bool Recording { get; set; }

    /// <summary>The head of the last request recorded (request line and headers), to check what a proxy sent.</summary>
    public string? LastRequestHead { get; private set; }

    /// <summary>A new connection to the upstream (the handler opens one and keeps it).</summary>
    public ValueTask<Stream> Connect(SocketsHttpConnectionContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<Stream>(new CannedConnection(this));

    /// <summary>
    /// One keep-alive connection: request bytes are scanned for the end of their head (a GET has no body), and each
    /// request queues one answer, which reads then return. A read with nothing queued (the handler's check of an idle
    /// connection, or its read for the answer) waits for the next request's answer, completed inline by its write.
    /// </summary>
    private sealed class CannedConnection(CannedUpstream upstream) : Stream, IValueTaskSource<int>
    {
        private static readonly byte[] EndOfHead = "\r\n\r\n"u8.ToArray();

        private readonly MemoryStream _head = new();
        private ManualResetValueTaskSourceCore<int> _read;
        private Memory<byte> _readBuffer;
        private bool _reading;
        private int _matched;
        private int _answered = -1;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_answered >= 0)
            {
                return new(Take(buffer));
            }

            if (_reading)
            {
                throw new InvalidOperationException("Two reads at once.");
            }

            _reading = true;
            _readBuffer = buffer;
            _read.Reset();
            return new(this, _read.Version);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (upstream.Recording)
            {
                _head.Write(buffer);
            }

            // The head's end is looked for with a vectorized search: a byte-by-byte scan of a ~1 KB bearer header would
            // cost this fake upstream a microsecond per request, charged to the proxy that sent it.
            while (!buffer.IsEmpty)
            {
                if (_matched > 0)
                {
                    // Finishing an end of head the last write began.
                    _matched = buffer[0] == EndOfHead[_matched] ? _matched + 1 : buffer[0] == EndOfHead[0] ? 1 : 0;
                    buffer = buffer[1..];
                    if (_matched == EndOfHead.Length)
                    {
                        Answer();
                    }

                    continue;
                }

                var end = buffer.IndexOf(EndOfHead);
                if (end >= 0)
                {
                    Answer();
                    buffer = buffer[(end + EndOfHead.Length)..];
                    continue;
                }

                // The longest tail of this write that begins an end of head.
                for (var tail = Math.Min(EndOfHead.Length - 1, buffer.Length); tail > 0; tail--)
                {
                    if (buffer[^tail..].SequenceEqual(EndOfHead.AsSpan(0, tail)))
                    {
                        _matched = tail;
                        break;
                    }
                }

                break;
            }
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Synchronous reads are not used.");

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        int IValueTaskSource<int>.GetResult(short token) => _read.GetResult(token);

        ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _read.GetStatus(token);

        void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _read.OnCompleted(continuation, state, token, flags);

        private void Answer()
        {
            _matched = 0;
            if (upstream.Recording)
            {
                upstream.LastRequestHead = Encoding.ASCII.GetString(_head.GetBuffer(), 0, (int)_head.Length);
                _head.SetLength(0);
            }

            _answered = 0;
            if (_reading)
            {
                _reading = false;
                _read.SetResult(Take(_readBuffer));
            }
        }

        /// <summary>Copies what the buffer takes of the queued answer; a zero-byte read only learns that there is one.</summary>
        private int Take(Memory<byte> buffer)
        {
            var left = Response.AsSpan(_answered);
            var count = Math.Min(left.Length, buffer.Length);
            left[..count].CopyTo(buffer.Span);
            _answered += count;
            if (_answered == Response.Length)
            {
                _answered = -1;
            }

            return count;
        }
    }
}
