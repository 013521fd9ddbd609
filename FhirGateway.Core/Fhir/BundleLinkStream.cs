using System.Buffers;
using System.Text.Json;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// A Bundle too large to hold in memory, relayed as it arrives with its top-level <c>link</c> array rewritten
/// (<see cref="BundleLinkRewriter"/>'s rules). <see cref="Utf8JsonReader"/> walks the root object a window at a time;
/// only the <c>link</c> array is held whole (it is a few links), every other byte is passed on as the platform sent
/// it. Once the links are rewritten, or the root says it is not a Bundle, the rest is relayed without parsing (a read
/// then goes from the platform straight into the reader's buffer: a 50 MB Bundle took 114–197 ms of the bench
/// process's CPU instead of 187–213 with a copy through the window; ProxyBench --large, 2026-11-30). So memory stays
/// at one window, growing only for a single JSON token larger than it, up to <c>limit</c>.
/// A body found not to be JSON before the links are done ends the stream with an error (the answer has started: the
/// client sees a broken transfer); after them the bytes are relayed as sent, as any streamed answer is.
/// </summary>
internal sealed class BundleLinkStream : Stream
{
    /// <summary>
    /// Each read from the platform asks for this much: with 64 KB windows a 50 MB Bundle moved at 0.59–0.68× direct,
    /// with 256 KB at 0.69–0.98× over five runs, YARP 0.44–0.70× (ProxyBench --large, 2026-11-28): fewer, fuller
    /// socket reads and response writes.
    /// </summary>
    private const int WindowSize = 256 * 1024;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 256 };

    private readonly Stream _source;
    private readonly GatewayLinks _links;
    private readonly long _limit;
    private readonly Queue<ReadOnlyMemory<byte>> _pending = new();
    private ReadOnlyMemory<byte> _current;
    private byte[] _window;
    private int _parsed;
    private int _emitted;
    private int _end;
    private bool _sourceDone;
    private bool _passThrough;
    private bool _finished;
    private bool _needMore;
    private JsonReaderState _state = new(ReaderOptions);
    private PooledBytes? _rewritten;
    private RootProperty _resume;
    private long _lengthChange;

    private enum RootProperty
    {
        Other,
        ResourceType,
        Link,
    }

    /// <summary>Takes over <paramref name="source"/> after <paramref name="prefix"/>, the bytes already read from it.</summary>
    public BundleLinkStream(Stream source, ReadOnlySpan<byte> prefix, GatewayLinks links, long limit)
    {
        _source = source;
        _links = links;
        _limit = limit;
        _window = ArrayPool<byte>.Shared.Rent(Math.Max(WindowSize, prefix.Length));
        prefix.CopyTo(_window);
        _end = prefix.Length;
    }

    /// <summary>
    /// Reads ahead, up to <paramref name="budget"/> bytes, until the links are rewritten (or the root is found not to be
    /// a Bundle), so that the answer's length is known before it starts: <paramref name="declared"/> plus what the
    /// rewriting changed; null when the platform declared none or the links come later (the answer is then chunked).
    /// </summary>
    /// <exception cref="JsonException">The start of the body is not JSON: nothing has been relayed yet.</exception>
    public async ValueTask<long?> PrimeAsync(long? declared, int budget, CancellationToken cancellationToken)
    {
        while (!_sourceDone && _end < budget && !HeadIsComplete())
        {
            if (_end == _window.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(2 * _window.Length);
                _window.AsSpan(0, _end).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_window);
                _window = larger;
            }

            var read = await _source.ReadAsync(_window.AsMemory(_end), cancellationToken);
            _end += read;
            _sourceDone = read == 0;
        }

        Advance();
        return _passThrough && declared is { } length ? length + _lengthChange : null;
    }

    /// <summary>Whether the window holds the root's <c>link</c> array whole, or a <c>resourceType</c> other than Bundle.</summary>
    private bool HeadIsComplete()
    {
        var reader = new Utf8JsonReader(_window.AsSpan(0, _end), _sourceDone, new JsonReaderState(ReaderOptions));
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth != 1 || reader.TokenType != JsonTokenType.PropertyName)
                {
                    continue;
                }

                if (reader.ValueTextEquals("resourceType"u8))
                {
                    if (!reader.Read())
                    {
                        return false;
                    }

                    if (reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals("Bundle"u8))
                    {
                        return true;
                    }
                }
                else if (reader.ValueTextEquals("link"u8))
                {
                    return reader.Read() && (reader.TokenType != JsonTokenType.StartArray || reader.TrySkip());
                }
            }

            return false;
        }
        catch (JsonException)
        {
            // Advance reads it again and throws.
            return true;
        }
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_current.IsEmpty)
        {
            if (_pending.TryDequeue(out var next))
            {
                _current = next;
                continue;
            }

            // Everything queued was copied out: the window may move and the rewritten links go back to the pool.
            ReleaseRewritten();
            if (_finished)
            {
                return 0;
            }

            if (_passThrough && _needMore)
            {
                // The links are relayed and nothing is left to parse: the rest goes from the platform straight into
                // the caller's buffer, without passing through the window.
                var read = await _source.ReadAsync(buffer, cancellationToken);
                _finished = read == 0;
                return read;
            }

            if (_needMore)
            {
                await FillAsync(cancellationToken);
            }

            Advance();
        }

        var count = Math.Min(_current.Length, buffer.Length);
        _current[..count].CopyTo(buffer);
        _current = _current[count..];
        return count;
    }

    /// <summary>Writes each window straight to <paramref name="destination"/>, without copying it into a buffer first.</summary>
    public override async Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        while (true)
        {
            if (!_current.IsEmpty)
            {
                await destination.WriteAsync(_current, cancellationToken);
                _current = default;
            }
            else if (_pending.TryDequeue(out var next))
            {
                _current = next;
            }
            else
            {
                ReleaseRewritten();
                if (_finished)
                {
                    return;
                }

                if (_needMore)
                {
                    await FillAsync(cancellationToken);
                }

                Advance();
            }
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Parses what the window holds, queuing what may be relayed; sets <see cref="_needMore"/> when it needs more.</summary>
    private void Advance()
    {
        _needMore = true;
        if (_passThrough)
        {
            Emit(_end);
            _parsed = _end;
            _finished = _sourceDone;
            return;
        }

        var reader = new Utf8JsonReader(_window.AsSpan(_parsed, _end - _parsed), _sourceDone, _state);
        while (true)
        {
            // A property whose value did not fit last time is taken up again right after its name.
            var property = _resume;
            _resume = RootProperty.Other;
            if (property == RootProperty.Other)
            {
                if (!reader.Read())
                {
                    break;
                }

                if (reader.CurrentDepth != 1 || reader.TokenType != JsonTokenType.PropertyName)
                {
                    continue;
                }

                property = reader.ValueTextEquals("resourceType"u8) ? RootProperty.ResourceType
                    : reader.ValueTextEquals("link"u8) ? RootProperty.Link
                    : RootProperty.Other;
                if (property == RootProperty.Other)
                {
                    continue;
                }
            }

            var afterName = reader.CurrentState;
            var nameEnd = (int)reader.BytesConsumed;
            if (!TryValue(ref reader, property))
            {
                // Wait for more bytes, keeping the window from the end of the name on.
                _parsed += nameEnd;
                _state = afterName;
                _resume = property;
                Emit(_parsed);
                return;
            }

            if (_passThrough)
            {
                _parsed += (int)reader.BytesConsumed;
                Emit(_end);
                _parsed = _end;
                _finished = _sourceDone;
                return;
            }
        }

        // A final block that reads to its end is the whole document (Read throws on anything malformed or cut short).
        _parsed += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
        Emit(_parsed);
        _finished = _sourceDone;
    }

    /// <summary>
    /// Reads the value of <c>resourceType</c> (not a Bundle: pass the rest through) or <c>link</c> (an array: rewrite it
    /// whole, then pass the rest through); false when the window does not hold all of it yet.
    /// </summary>
    private bool TryValue(ref Utf8JsonReader reader, RootProperty property)
    {
        if (!reader.Read())
        {
            return false;
        }

        if (property == RootProperty.ResourceType)
        {
            _passThrough = reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals("Bundle"u8);
            return true;
        }

        if (reader.TokenType == JsonTokenType.StartArray)
        {
            // The links are a few hundred bytes: wait until the whole array is in the window, then rewrite it.
            var arrayStart = (int)reader.TokenStartIndex;
            if (!reader.TrySkip())
            {
                return false;
            }

            Rewrite(_parsed + arrayStart, _parsed + (int)reader.BytesConsumed);
            _passThrough = true;
        }

        return true;
    }

    /// <summary>Queues the rewritten link array at [start, end) of the window, after the bytes before it.</summary>
    private void Rewrite(int start, int end)
    {
        Emit(start);
        var array = _window.AsSpan(start, end - start);
        var reader = new Utf8JsonReader(array, ReaderOptions);
        reader.Read();
        var splice = new JsonSplice();
        BundleLinkRewriter.RewriteArray(ref reader, _links, splice);
        _rewritten = splice.Apply(array);
        _lengthChange += _rewritten.Length - array.Length;
        _pending.Enqueue(_rewritten.Memory);
        _emitted = end;
    }

    private void Emit(int upTo)
    {
        if (upTo > _emitted)
        {
            _pending.Enqueue(_window.AsMemory(_emitted, upTo - _emitted));
            _emitted = upTo;
        }
    }

    /// <summary>Moves the unparsed rest to the front of the window and reads more after it; grows only for a token larger than the window.</summary>
    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        var rest = _end - _parsed;
        if (rest == _window.Length)
        {
            if (rest >= _limit)
            {
                throw new IOException($"A JSON token of the Bundle is larger than {_limit} bytes.");
            }

            var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(2L * _window.Length, Math.Min(_limit, Array.MaxLength)));
            _window.AsSpan(_parsed, rest).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_window);
            _window = larger;
        }
        else if (_parsed > 0)
        {
            _window.AsSpan(_parsed, rest).CopyTo(_window);
        }

        _parsed = 0;
        _emitted = 0;
        _end = rest;
        var read = await _source.ReadAsync(_window.AsMemory(_end), cancellationToken);
        _end += read;
        _sourceDone = read == 0;
    }

    private void ReleaseRewritten()
    {
        _rewritten?.Dispose();
        _rewritten = null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ReleaseRewritten();
            if (Interlocked.Exchange(ref _window, []) is { Length: > 0 } window)
            {
                ArrayPool<byte>.Shared.Return(window);
            }

            _source.Dispose();
        }

        base.Dispose(disposing);
    }
}
