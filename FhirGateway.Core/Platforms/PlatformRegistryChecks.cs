using Microsoft.Extensions.Configuration;

namespace FhirGateway.Core.Platforms;

/// <summary>Rules across platforms and settings that one file's schema cannot express.</summary>
internal static class PlatformRegistryChecks
{
    /// <summary>Ids are unique, and an alias names one platform only and is not another platform's id.</summary>
    public static void CheckUniqueness(IReadOnlyList<PlatformDefinition> definitions, IReadOnlyDictionary<string, string> sources, List<string> problems)
    {
        var owners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var definition in definitions)
        {
            if (!owners.TryAdd(definition.Id, definition.Id))
            {
                problems.Add($"{sources[definition.Id]}: /id: duplicate id '{definition.Id}'.");
            }
        }

        var aliasOwners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var definition in definitions)
        {
            for (var i = 0; i < definition.Aliases.Count; i++)
            {
                var alias = definition.Aliases[i];
                if (owners.TryGetValue(alias, out var idOwner) && !string.Equals(idOwner, definition.Id, StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"{sources[definition.Id]}: /aliases/{i}: '{alias}' is the id of platform '{idOwner}'.");
                }
                else if (!aliasOwners.TryAdd(alias, definition.Id) && !string.Equals(aliasOwners[alias], definition.Id, StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"{sources[definition.Id]}: /aliases/{i}: '{alias}' is already an alias of platform '{aliasOwners[alias]}'.");
                }
            }
        }
    }

    /// <summary>
    /// A key like <c>FHIR_GATEWAY_PLATFORM_X_CLIENT_ID</c> whose X is no platform is a typo or a stale setting:
    /// it fails start, named, rather than being ignored.
    /// </summary>
    public static void CheckSettingKeys(IReadOnlyList<PlatformDefinition> definitions, IConfiguration configuration, List<string> problems)
    {
        var keyParts = definitions.Select(d => PlatformSettings.KeyPart(d.Id)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, _) in configuration.AsEnumerable())
        {
            if (!key.StartsWith(PlatformSettings.Prefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var rest = key[PlatformSettings.Prefix.Length..];
            var candidates = PlatformSettings.Known
                .Where(s => rest.EndsWith("_" + s, StringComparison.OrdinalIgnoreCase) && rest.Length > s.Length + 1)
                .Select(s => rest[..^(s.Length + 1)])
                .ToList();
            if (candidates.Count > 0 && !candidates.Any(keyParts.Contains))
            {
                problems.Add($"{key}: no platform '{PlatformSettings.IdFromKeyPart(candidates[0])}' (set FHIR_GATEWAY_PLATFORM_{{ID}}_{PlatformSettings.Template} to create one).");
            }
        }
    }
}
