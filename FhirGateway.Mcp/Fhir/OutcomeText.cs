using System.Text.Json;

namespace FhirGateway.Mcp.Fhir;

/// <summary>The readable text of an OperationOutcome: each issue's severity, code and diagnostics or details.</summary>
internal static class OutcomeText
{
    public static string? Of(JsonElement? outcome)
    {
        if (outcome is not { ValueKind: JsonValueKind.Object } root || JsonRead.Text(root, "resourceType") != "OperationOutcome")
        {
            return null;
        }

        var issues = JsonRead.Array(root, "issue").Select(issue =>
        {
            var text = JsonRead.Text(issue, "diagnostics") ?? (issue.TryGetProperty("details", out var details) ? JsonRead.CodeText(details) : null);
            return $"{JsonRead.Text(issue, "severity")} {JsonRead.Text(issue, "code")}: {text ?? "(no text)"}";
        }).ToList();
        return issues.Count == 0 ? null : string.Join("; ", issues);
    }
}
