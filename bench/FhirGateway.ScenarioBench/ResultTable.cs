namespace FhirGateway.ScenarioBench;

/// <summary>Prints the figures as one Markdown table, each beside its anchor and ratio.</summary>
internal static class ResultTable
{
    public static void Print(IReadOnlyList<Figure> figures)
    {
        Console.WriteLine();
        Console.WriteLine("| scenario | figure | value | anchor | ratio | target | met |");
        Console.WriteLine("| --- | --- | ---: | --- | --- | --- | --- |");
        foreach (var f in figures)
        {
            var met = f.Met switch { true => "yes", false => "**no**", null => "" };
            Console.WriteLine($"| {f.Scenario} | {f.Name} | {f.Value} | {f.Anchor} | {f.Ratio} | {f.Target} | {met} |");
        }
    }
}
