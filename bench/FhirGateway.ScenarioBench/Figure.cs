namespace FhirGateway.ScenarioBench;

/// <summary>One measured figure beside its anchor, as the results table prints it.</summary>
/// <param name="Scenario">platforms, storm or mcp.</param>
/// <param name="Name">What was measured.</param>
/// <param name="Value">The figure, with its unit.</param>
/// <param name="Anchor">What it is compared with, and that figure.</param>
/// <param name="Ratio">e.g. <c>storm/one refresh = 1.07</c>.</param>
/// <param name="Target">The target, or empty when the figure is only reported.</param>
/// <param name="Met">Whether the target is met; null when there is none.</param>
internal sealed record Figure(string Scenario, string Name, string Value, string Anchor, string Ratio, string Target = "", bool? Met = null);
