using System.Buffers;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// An answer's body held in memory: an array (a cached statement, a rewritten manifest), or a pooled buffer with, for
/// a Bundle whose links were rewritten, the edits applied as it is written. Written to the client piece by piece
/// (<see cref="WriteTo"/>), a rewritten Bundle needs no second buffer and no copy into one; read as a stream (MCP,
/// coverage) it is put together once.
/// </summary>
internal sealed class MemoryBody : IDisposable
{
    private readonly byte[]? _array;
    private readonly PooledBytes? _pooled;
    private readonly JsonSplice? _edits;
    private PooledBytes? _applied;

    public MemoryBody(byte[] array)
    {
        _array = array;
        Length = array.Length;
    }

    /// <summary>Takes over <paramref name="pooled"/>: disposing this body returns it.</summary>
    public MemoryBody(PooledBytes pooled, JsonSplice? edits = null)
    {
        _pooled = pooled;
        _edits = edits;
        Length = edits?.LengthOf(pooled.Span) ?? pooled.Length;
    }

    public long Length { get; }

    public void WriteTo(IBufferWriter<byte> destination)
    {
        if (_array is not null)
        {
            destination.Write(_array);
        }
        else if (_edits is null)
        {
            destination.Write(_pooled!.Span);
        }
        else
        {
            _edits.WriteTo(_pooled!.Span, destination);
        }
    }

    public Stream OpenRead() =>
        _array is not null ? new MemoryStream(_array, writable: false)
        : _edits is null ? _pooled!.OpenRead()
        : (_applied ??= _edits.Apply(_pooled!.Span)).OpenRead();

    public void Dispose()
    {
        _pooled?.Dispose();
        _applied?.Dispose();
    }
}
