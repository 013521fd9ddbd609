using System.Globalization;

namespace FhirGateway.ScenarioBench;

/// <summary>How figures print: invariant culture, fixed decimals.</summary>
internal static class Format
{
    public static string Ms(double ms, int decimals = 1) => ms.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + " ms";

    public static string Ns(double ns) => string.Create(CultureInfo.InvariantCulture, $"{ns:F0} ns");

    public static string Ratio(string label, double ratio) => string.Create(CultureInfo.InvariantCulture, $"{label} = {ratio:F2}");
}
