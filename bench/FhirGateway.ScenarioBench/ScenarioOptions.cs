using System.Globalization;
using FhirGateway.Bench;

namespace FhirGateway.ScenarioBench;

/// <summary>Command-line options; the defaults keep a whole run near two minutes.</summary>
internal sealed record ScenarioOptions
{
    public static readonly IReadOnlyList<string> AllScenarios = ["platforms", "storm", "mcp"];

    public IReadOnlyList<string> Scenarios { get; init; } = AllScenarios;

    /// <summary>Platform files generated for the scale case.</summary>
    public int PlatformFiles { get; init; } = 1_000;

    /// <summary>Cold child processes per folder; the median is reported.</summary>
    public int StartupRuns { get; init; } = 3;

    /// <summary>Concurrent requests on one expired token.</summary>
    public int StormRequests { get; init; } = 1_000;

    /// <summary>The stand-in token endpoint's fixed delay, as a payer's would take.</summary>
    public TimeSpan TokenDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Storm rounds per store; the medians are reported.</summary>
    public int StormRounds { get; init; } = 5;

    /// <summary>Sequential searches per front-end, after as many warm-up calls as a tenth of them.</summary>
    public int McpCalls { get; init; } = 2_000;

    /// <summary>Hidden: the child process that builds the registry from a folder and prints the time taken.</summary>
    public string? MeasureRegistry { get; init; }

    public const string Usage = """
        dotnet run -c Release --project bench/FhirGateway.ScenarioBench -- [options]
          --scenario <names>      platforms, storm, mcp, comma-separated (default: all)
          --platform-files <n>    platform files generated for the scale case (default 1000)
          --startup-runs <n>      cold processes per folder for the start-up figure (default 3, median)
          --storm-requests <n>    concurrent requests on one expired token (default 1000)
          --token-delay <ms>      the stand-in token endpoint's fixed delay (default 50)
          --storm-rounds <n>      storm rounds per token store (default 5, medians)
          --mcp-calls <n>         sequential searches per front-end (default 2000)
        """;

    /// <summary>The options, or null (with the usage printed) when they cannot be read.</summary>
    public static ScenarioOptions? Parse(string[] args) =>
        BenchArgs.Parse(args, new ScenarioOptions(), Usage, static (options, flag, value) => flag switch
        {
            "--scenario" => options with { Scenarios = Names(value()) },
            "--platform-files" => options with { PlatformFiles = BenchArgs.Positive(value()) },
            "--startup-runs" => options with { StartupRuns = BenchArgs.Positive(value()) },
            "--storm-requests" => options with { StormRequests = BenchArgs.Positive(value()) },
            "--token-delay" => options with { TokenDelay = TimeSpan.FromMilliseconds(BenchArgs.Positive(value())) },
            "--storm-rounds" => options with { StormRounds = BenchArgs.Positive(value()) },
            "--mcp-calls" => options with { McpCalls = BenchArgs.Positive(value()) },
            "--measure-registry" => options with { MeasureRegistry = value() },
            _ => throw BenchArgs.Unknown(flag),
        });

    private static string[] Names(string value)
    {
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return names.FirstOrDefault(n => !AllScenarios.Contains(n)) is { } unknown
            ? throw new FormatException($"Unknown scenario '{unknown}' (one of {string.Join(", ", AllScenarios)}).")
            : names;
    }
}
