using System.Net;

namespace FhirGateway.Api.Tests.Faults;

/// <summary>Polls a route until it answers 200, for recovery after a fault.</summary>
internal static class FaultWait
{
    /// <summary>Asks <paramref name="path"/> every 100 ms until it answers 200, or the time is up.</summary>
    public static async Task<bool> UntilOkAsync(HttpClient http, string path, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        do
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK)
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
