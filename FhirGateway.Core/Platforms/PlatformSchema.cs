using System.Text.Json;
using Json.Schema;

namespace FhirGateway.Core.Platforms;

/// <summary>The committed <c>platforms/platform.schema.json</c>, embedded in Core so validation never depends on the folder loaded.</summary>
internal static class PlatformSchema
{
    private const string ResourceName = "FhirGateway.Core.Platforms.platform.schema.json";

    private static readonly Lazy<JsonSchema> Schema = new(Load);

    /// <summary>Validates one file's JSON; returns one message per failure, each starting with the JSON pointer.</summary>
    public static IReadOnlyList<string> Validate(JsonElement instance)
    {
        // Nearly every file is valid, and the flag answer costs a fraction of the detailed list (measured: ~0.45 vs
        // ~1.4 ms a file, bench/FhirGateway.ScenarioBench): the list, and its messages, only for a file that fails.
        if (Schema.Value.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.Flag }).IsValid)
        {
            return [];
        }

        var results = Schema.Value.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        var messages = new List<string>();
        foreach (var detail in results.Details ?? [])
        {
            if (detail.Errors is null)
            {
                continue;
            }

            var pointer = detail.InstanceLocation.ToString();
            foreach (var (keyword, message) in detail.Errors)
            {
                messages.Add($"{(pointer.Length == 0 ? "/" : pointer)}: {message} ({keyword})");
            }
        }

        // A failure with no detailed error still fails: never let a file through silently.
        return messages.Count > 0 ? messages.Distinct().ToList() : ["/: does not match platform.schema.json"];
    }

    private static JsonSchema Load()
    {
        using var stream = typeof(PlatformSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing from FhirGateway.Core.");
        using var reader = new StreamReader(stream);
        return JsonSchema.FromText(reader.ReadToEnd());
    }
}
