using System.Buffers;

namespace FhirGateway.Core.Fhir;

/// <summary>
/// A body held in an array rented from <see cref="ArrayPool{T}.Shared"/>: the first <see cref="Length"/> bytes.
/// Dispose returns the array once; whoever holds it last (usually the <see cref="FhirResponse"/>) disposes it.
/// </summary>
internal sealed class PooledBytes(byte[] rented, int length) : IDisposable
{
    private byte[]? _array = rented;

    public int Length { get; } = length;

    public ReadOnlySpan<byte> Span => Array.AsSpan(0, Length);

    public ReadOnlyMemory<byte> Memory => Array.AsMemory(0, Length);

    private byte[] Array => _array ?? throw new ObjectDisposedException(nameof(PooledBytes));

    /// <summary>A read-only stream over the bytes; it must not outlive this buffer.</summary>
    public MemoryStream OpenRead() => new(Array, 0, Length, writable: false);

    public void Dispose()
    {
        // Returning an array twice would hand it to two renters at once.
        if (Interlocked.Exchange(ref _array, null) is { } array)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
