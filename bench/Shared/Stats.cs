namespace FhirGateway.Bench;

/// <summary>Percentiles and medians over measured samples.</summary>
internal static class Stats
{
    /// <summary>The nearest-rank percentile (0–100) of <paramref name="samples"/>.</summary>
    public static double Percentile(IReadOnlyList<double> samples, double percentile)
    {
        if (samples.Count == 0)
        {
            return double.NaN;
        }

        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static double Median(IReadOnlyList<double> samples) => Percentile(samples, 50);
}
