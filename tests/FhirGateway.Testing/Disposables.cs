namespace FhirGateway.Testing;

/// <summary>Tearing down what a fixture started.</summary>
public static class Disposables
{
    /// <summary>
    /// Disposes each one that was started, in the order given (front-ends before what they depend on); a null is one
    /// that never started.
    /// </summary>
    public static async Task DisposeInOrderAsync(params IAsyncDisposable?[] started)
    {
        ArgumentNullException.ThrowIfNull(started);
        foreach (var item in started)
        {
            if (item is not null)
            {
                await item.DisposeAsync();
            }
        }
    }
}
