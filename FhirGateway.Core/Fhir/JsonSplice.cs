using System.Buffers;
using System.Text;
using System.Text.Json;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// Edits to a JSON text by byte range (a string value replaced, a range removed), applied in one copy into a pooled
/// buffer: every byte outside the edits is copied as the platform sent it, so numbers such as <c>1.50</c>, key
/// order and whitespace survive. Edits are added in order and never overlap.
/// </summary>
internal sealed class JsonSplice
{
    private readonly List<Edit> _edits = [];

    public int Count => _edits.Count;

    /// <summary>
    /// Replaces the string token at [start, end) (quotes included) with <paramref name="value"/>: as its UTF-8 bytes
    /// when nothing in it needs escaping in a JSON string (a quote, a backslash, a control character), else escaped as
    /// System.Text.Json does. A URL's <c>&amp;</c> stays <c>&amp;</c>, as the platform wrote it, rather than
    /// <c>\u0026</c>, and a rewritten link costs no escaping pass (~1 µs of a search, ProxyBench profile, 2026-11-29).
    /// </summary>
    public void Replace(int start, int end, string value) =>
        Add(new Edit(start, end, NeedsEscaping(value) ? JsonEncodedText.Encode(value).EncodedUtf8Bytes.ToArray() : Encoding.UTF8.GetBytes(value)));

    /// <summary>Replaces the string token at [start, end) with <paramref name="utf8"/>, string content that needs no escaping.</summary>
    public void ReplaceUnescaped(int start, int end, byte[] utf8) => Add(new Edit(start, end, utf8));

    /// <summary>Whether <paramref name="value"/> holds a character a JSON string must escape (RFC 8259 §7).</summary>
    public static bool NeedsEscaping(ReadOnlySpan<char> value) => value.ContainsAny(MustEscape);

    /// <summary>Removes [start, end); a removal right after another one joins it.</summary>
    public void Remove(int start, int end)
    {
        if (_edits.Count > 0 && _edits[^1] is { Text: null } last && last.End == start)
        {
            _edits[^1] = last with { End = end };
            return;
        }

        Add(new Edit(start, end, null));
    }

    /// <summary>Forgets the edits added after the first <paramref name="count"/>.</summary>
    public void Truncate(int count) => _edits.RemoveRange(count, _edits.Count - count);

    /// <summary>The length of <paramref name="json"/> with the edits applied.</summary>
    public int LengthOf(ReadOnlySpan<byte> json)
    {
        var length = json.Length;
        foreach (var edit in _edits)
        {
            length += (edit.Text is { } text ? text.Length + 2 : 0) - (edit.End - edit.Start);
        }

        return length;
    }

    /// <summary>
    /// Writes <paramref name="json"/> with the edits applied to <paramref name="destination"/>. The pieces are gathered
    /// into each span the destination hands out and each span is advanced once: Kestrel's response writer takes a lock
    /// on every GetSpan and Advance, and a 20-entry Bundle has some 90 pieces (~2 µs of a search, ProxyBench profile,
    /// 2026-11-29). Spans are asked for by what is left to write, up to <see cref="SpanFiller.MostAsked"/>: Kestrel then
    /// hands out one buffer for a Bundle of that size instead of its 4 KB blocks, so one lock, one send and one iovec.
    /// </summary>
    public void WriteTo(ReadOnlySpan<byte> json, IBufferWriter<byte> destination)
    {
        var output = new SpanFiller(destination, LengthOf(json));
        var copied = 0;
        foreach (var edit in _edits)
        {
            output.Write(json[copied..edit.Start]);
            if (edit.Text is { } text)
            {
                output.Write("\""u8);
                output.Write(text);
                output.Write("\""u8);
            }

            copied = edit.End;
        }

        output.Write(json[copied..]);
        output.Commit();
    }

    /// <summary><paramref name="json"/> with the edits applied, in one pooled buffer.</summary>
    public PooledBytes Apply(ReadOnlySpan<byte> json)
    {
        var length = LengthOf(json);
        var output = ArrayPool<byte>.Shared.Rent(length);
        WriteTo(json, new ArrayWriter(output));
        return new PooledBytes(output, length);
    }

    private void Add(Edit edit)
    {
        if (edit.Start > edit.End || (_edits.Count > 0 && edit.Start < _edits[^1].End))
        {
            throw new InvalidOperationException("JSON edits must be added in order and must not overlap.");
        }

        _edits.Add(edit);
    }

    /// <summary>What JSON (RFC 8259 §7) requires escaped inside a string.</summary>
    private static readonly SearchValues<char> MustEscape = SearchValues.Create(['"', '\\', .. Enumerable.Range(0, 0x20).Select(c => (char)c)]);

    /// <summary>Fills the spans of a buffer writer, advancing it once per span rather than once per piece.</summary>
    private ref struct SpanFiller(IBufferWriter<byte> destination, int length)
    {
        /// <summary>The largest span asked for: Kestrel's default response buffer.</summary>
        public const int MostAsked = 64 * 1024;

        private Span<byte> _span;
        private int _filled;
        private int _left = length;

        public void Write(ReadOnlySpan<byte> piece)
        {
            while (true)
            {
                var count = Math.Min(piece.Length, _span.Length - _filled);
                piece[..count].CopyTo(_span[_filled..]);
                _filled += count;
                piece = piece[count..];
                if (piece.IsEmpty)
                {
                    return;
                }

                Commit();
                _span = destination.GetSpan(Math.Clamp(_left, 1, MostAsked));
            }
        }

        /// <summary>Advances the destination past what has been filled.</summary>
        public void Commit()
        {
            if (_filled > 0)
            {
                destination.Advance(_filled);
                _left -= _filled;
            }

            _span = default;
            _filled = 0;
        }
    }

    /// <summary>Writes into an array known to be large enough.</summary>
    private sealed class ArrayWriter(byte[] array) : IBufferWriter<byte>
    {
        private int _written;

        public void Advance(int count) => _written += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => array.AsMemory(_written);

        public Span<byte> GetSpan(int sizeHint = 0) => array.AsSpan(_written);
    }

    /// <summary>An edit: [Start, End) replaced by the string content <see cref="Text"/> (UTF-8, escaped), or removed (null).</summary>
    private readonly record struct Edit(int Start, int End, byte[]? Text);
}
