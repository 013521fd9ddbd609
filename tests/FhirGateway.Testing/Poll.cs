namespace FhirGateway.Testing;

/// <summary>Asks a condition every 100 ms until it holds, for recovery after a fault.</summary>
public static class Poll
{
    public static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        do
        {
            if (await condition())
            {
                return true;
            }
        }
        while (await WaitTickAsync(tick, deadline.Token));

        return false;
    }

    private static async Task<bool> WaitTickAsync(PeriodicTimer tick, CancellationToken cancellationToken)
    {
        try
        {
            return await tick.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
