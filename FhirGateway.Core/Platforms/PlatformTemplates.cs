using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace FhirGateway.Core.Platforms;

/// <summary>
/// Creates platforms from configuration alone: <c>FHIR_GATEWAY_PLATFORM_{NEWID}_TEMPLATE=epic</c> copies the
/// <c>epic</c> platform under the new id (an organisation's own instance of a multi-tenant EHR).
/// </summary>
internal static partial class PlatformTemplates
{
    private const string Suffix = "_" + PlatformSettings.Template;

    /// <summary>The platforms configuration creates; problems (unknown template, id taken, bad id) name the key.</summary>
    public static IReadOnlyList<(PlatformDefinition Definition, string Key)> Create(
        IReadOnlyList<PlatformDefinition> fromFiles, IConfiguration configuration, List<string> problems)
    {
        var created = new List<(PlatformDefinition, string)>();
        var keys = configuration.AsEnumerable()
            .Where(e => e.Key.StartsWith(PlatformSettings.Prefix, StringComparison.OrdinalIgnoreCase)
                && e.Key.EndsWith(Suffix, StringComparison.OrdinalIgnoreCase)
                && e.Key.Length > PlatformSettings.Prefix.Length + Suffix.Length)
            .OrderBy(e => e.Key, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in keys)
        {
            var id = PlatformSettings.IdFromKeyPart(key[PlatformSettings.Prefix.Length..^Suffix.Length]);
            var template = fromFiles.FirstOrDefault(d => string.Equals(d.Id, value?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (!IdPattern().IsMatch(id))
            {
                problems.Add($"{key}: '{id}' is not a valid platform id (lower-case letters and digits in dash-separated words).");
            }
            else if (template is null)
            {
                problems.Add($"{key}: no platform '{value}' to use as a template.");
            }
            else if (fromFiles.Any(d => string.Equals(d.Id, id, StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add($"{key}: a platform '{id}' already exists; choose another id.");
            }
            else
            {
                created.Add((FromTemplate(template, id, key, configuration), key));
            }
        }

        return created;
    }

    private static PlatformDefinition FromTemplate(PlatformDefinition template, string id, string key, IConfiguration configuration)
    {
        var name = configuration[PlatformSettings.Key(id, PlatformSettings.Name)];
        var displayName = configuration[PlatformSettings.Key(id, PlatformSettings.DisplayName)];
        return template with
        {
            Id = id,
            Name = string.IsNullOrWhiteSpace(name) ? $"{template.Name} ({id})" : name,
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? $"{template.DisplayName} ({id})" : displayName,
            Status = PlatformStatus.Active,
            // The template's aliases, patterns and payer ids describe the vendor, not this organisation.
            Aliases = [],
            Patterns = [],
            PayerIds = [],
            Notes = $"Created by {key} from the '{template.Id}' template.",
        };
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex IdPattern();
}
