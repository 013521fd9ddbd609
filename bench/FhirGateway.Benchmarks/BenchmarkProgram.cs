using BenchmarkDotNet.Running;

namespace FhirGateway.Benchmarks;

/// <summary>
/// BenchmarkDotNet's switcher over this assembly's benchmarks. Not top-level statements: those would declare a
/// <c>Program</c> of this assembly's own, beside FhirGateway.Api's, which <see cref="Pipeline.PipelineBenchmarks"/> starts.
/// </summary>
internal static class BenchmarkProgram
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
}
