using System.Buffers;
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

    /// <summary>Replaces the string token at [start, end) (quotes included) with <paramref name="text"/>.</summary>
    public void Replace(int start, int end, JsonEncodedText text) => Add(new Edit(start, end, text));

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

    public PooledBytes Apply(ReadOnlySpan<byte> json)
    {
        var length = json.Length;
        foreach (var edit in _edits)
        {
            length += (edit.Text is { } text ? text.EncodedUtf8Bytes.Length + 2 : 0) - (edit.End - edit.Start);
        }

        var output = ArrayPool<byte>.Shared.Rent(length);
        var written = 0;
        var copied = 0;
        foreach (var edit in _edits)
        {
            json[copied..edit.Start].CopyTo(output.AsSpan(written));
            written += edit.Start - copied;
            if (edit.Text is { } text)
            {
                output[written++] = (byte)'"';
                text.EncodedUtf8Bytes.CopyTo(output.AsSpan(written));
                written += text.EncodedUtf8Bytes.Length;
                output[written++] = (byte)'"';
            }

            copied = edit.End;
        }

        json[copied..].CopyTo(output.AsSpan(written));
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

    private readonly record struct Edit(int Start, int End, JsonEncodedText? Text);
}
