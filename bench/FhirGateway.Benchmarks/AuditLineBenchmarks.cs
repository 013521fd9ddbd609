using System.Globalization;
using System.Text.Unicode;
using BenchmarkDotNet.Attributes;
using FhirGateway.Core.Audit;

namespace FhirGateway.Benchmarks;

/// <summary>
/// The time at the start of every audit line (one per proxied call): the custom format it was written with until the
/// sixteenth session, against <see cref="AuditLogProvider.WriteTime"/>, which writes the same text digit by digit.
/// </summary>
[MemoryDiagnoser]
public class AuditLineBenchmarks
{
    private readonly byte[] _line = new byte[64];
    private DateTime _time = new(2026, 11, 29, 23, 5, 40, 123, DateTimeKind.Utc);

    [Benchmark(Baseline = true, Description = "Time, custom format")]
    public int CustomFormat()
    {
        _time = _time.AddTicks(7_654_321);
        Utf8.TryWrite(_line, CultureInfo.InvariantCulture, $"{_time:yyyy-MM-ddTHH:mm:ss.fffZ}", out var written);
        return written;
    }

    [Benchmark(Description = "Time, digit by digit")]
    public int DigitByDigit()
    {
        _time = _time.AddTicks(7_654_321);
        return AuditLogProvider.WriteTime(_time, _line);
    }
}
