using System.Globalization;

namespace FhirGateway.ProxyBench;

/// <summary>Command-line options; the defaults keep a whole run near two and a half minutes.</summary>
internal sealed record BenchOptions
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(6);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    public IReadOnlyList<int> Connections { get; init; } = [16, 64];

    /// <summary>Also measure latency at half of the gateway's saturated throughput (open loop).</summary>
    public bool HalfLoad { get; init; } = true;

    /// <summary>Run the gateway with OpenTelemetry off (OTEL_SDK_DISABLED), to size tracing's and metrics' share.</summary>
    public bool NoTelemetry { get; init; }

    public const string Usage = """
        dotnet run -c Release --project bench/FhirGateway.ProxyBench -- [options]
          --duration <s>        measured seconds per run (default 6)
          --warmup <s>          warm-up seconds before each run (default 2)
          --connections <n,m>   closed-loop concurrency levels (default 16,64)
          --no-half-load        skip the open-loop runs at half of the gateway's saturated throughput
          --no-telemetry        gateway with OpenTelemetry off (OTEL_SDK_DISABLED=true), to size its share
        """;

    /// <summary>The options, or null (with the usage printed) when they cannot be read.</summary>
    public static BenchOptions? Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value.");
            try
            {
                options = args[i] switch
                {
                    "--duration" => options with { Duration = Seconds(Value()) },
                    "--warmup" => options with { Warmup = Seconds(Value()) },
                    "--connections" => options with { Connections = [.. Value().Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))] },
                    "--no-half-load" => options with { HalfLoad = false },
                    "--no-telemetry" => options with { NoTelemetry = true },
                    _ => throw new FormatException($"Unknown option {args[i]}."),
                };
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine(e.Message);
                Console.Error.WriteLine(Usage);
                return null;
            }
        }

        return options;
    }

    private static TimeSpan Seconds(string value) => TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));
}
