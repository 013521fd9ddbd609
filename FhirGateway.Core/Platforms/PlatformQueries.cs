namespace FhirGateway.Core.Platforms;

/// <summary>The filters both front-ends offer over the registry.</summary>
public static class PlatformQueries
{
    /// <summary>
    /// Platforms of a type, usable now or not, whose id, name, display name or an alias contains <paramref name="text"/>
    /// (case-insensitive). Null filters match everything.
    /// </summary>
    public static IReadOnlyList<Platform> Search(this IPlatformRegistry registry, PlatformType? type = null, bool? usable = null, string? text = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var q = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        return [.. registry.All.Where(p =>
            (type is null || p.Definition.Type == type)
            && (usable is null || p.IsUsable == usable)
            && (q is null || Matches(p.Definition, q)))];
    }

    /// <summary>Parses a type name (<c>payer</c>, <c>ehr</c>, <c>sandbox</c>, <c>government</c>, <c>lab</c>).</summary>
    public static bool TryParseType(string? value, out PlatformType type) =>
        Enum.TryParse(value?.Trim(), ignoreCase: true, out type) && Enum.IsDefined(type) && !int.TryParse(value, out _);

    /// <summary>The type names, as files and answers write them.</summary>
    public static IReadOnlyList<string> TypeNames { get; } = [.. Enum.GetNames<PlatformType>().Select(n => n.ToLowerInvariant())];

    private static bool Matches(PlatformDefinition d, string q) =>
        d.Id.Contains(q, StringComparison.OrdinalIgnoreCase)
        || d.Name.Contains(q, StringComparison.OrdinalIgnoreCase)
        || d.DisplayName.Contains(q, StringComparison.OrdinalIgnoreCase)
        || d.Aliases.Any(a => a.Contains(q, StringComparison.OrdinalIgnoreCase));
}
