using FhirGateway.Bench;
using FhirGateway.ScenarioBench.Mcp;
using FhirGateway.ScenarioBench.Platforms;
using FhirGateway.ScenarioBench.Storm;

namespace FhirGateway.ScenarioBench;

/// <summary>
/// One command: runs the scale, refresh-storm and MCP scenarios of issue 8 (all, or those named), each starting
/// what it needs on 127.0.0.1 in this process (and cold child processes for start-up), and prints one Markdown
/// table with every figure beside its anchor.
/// </summary>
internal static class ScenarioProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Contains("--help") || ScenarioOptions.Parse(args) is not { } options)
        {
            Console.WriteLine(ScenarioOptions.Usage);
            return args.Contains("--help") ? 0 : 2;
        }

        if (options.MeasureRegistry is { } folder)
        {
            return RegistryStartup.RunChild(folder);
        }

        Console.WriteLine($"FHIR Gateway scenario benchmark · {MachineInfo.Describe()}");
        var figures = new List<Figure>();
        try
        {
            foreach (var scenario in options.Scenarios)
            {
                figures.AddRange(scenario switch
                {
                    "platforms" => await PlatformScenario.RunAsync(options),
                    "storm" => await StormScenario.RunAsync(options),
                    _ => await McpScenario.RunAsync(options),
                });
            }
        }
        catch (InvalidOperationException failure)
        {
            // A pre-flight check failed: the path measured would not be the real one.
            Console.Error.WriteLine(failure.Message);
            ResultTable.Print(figures);
            return 1;
        }

        ResultTable.Print(figures);
        return figures.Any(f => f.Met == false) ? 3 : 0;
    }
}
