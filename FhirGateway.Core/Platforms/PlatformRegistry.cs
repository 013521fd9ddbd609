using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;

namespace FhirGateway.Core.Platforms;

/// <summary>The immutable registry: built once by <see cref="Load"/>, which fails fast on any problem.</summary>
internal sealed class PlatformRegistry : IPlatformRegistry
{
    private readonly FrozenDictionary<string, Platform> _byId;
    private readonly FrozenDictionary<string, Platform> _byAlias;
    private readonly FrozenDictionary<string, Platform[]> _byPayerId;
    private readonly FrozenDictionary<string, PlatformCredentials> _credentials;

    private PlatformRegistry(IReadOnlyList<(Platform Platform, PlatformCredentials Credentials)> entries)
    {
        All = [.. entries.Select(e => e.Platform).OrderBy(p => p.Id, StringComparer.Ordinal)];
        _byId = All.ToFrozenDictionary(p => p.Id, StringComparer.OrdinalIgnoreCase);
        _byAlias = All.SelectMany(p => p.Definition.Aliases.Select(a => (Alias: a, Platform: p)))
            .ToFrozenDictionary(e => e.Alias, e => e.Platform, StringComparer.OrdinalIgnoreCase);
        _byPayerId = All.SelectMany(p => p.Definition.PayerIds.Select(id => (PayerId: id, Platform: p)))
            .GroupBy(e => e.PayerId, StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(g => g.Key, g => g.Select(e => e.Platform).Distinct().ToArray(), StringComparer.OrdinalIgnoreCase);
        _credentials = entries.ToFrozenDictionary(e => e.Platform.Id, e => e.Credentials, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<Platform> All { get; }

    /// <summary>Loads the folder's files, adds platforms created by configuration and applies configuration.</summary>
    /// <exception cref="PlatformRegistryException">A file or setting is wrong; the message names each.</exception>
    public static PlatformRegistry Load(string folder, IConfiguration configuration)
    {
        var fromFiles = PlatformFileLoader.Load(folder);
        var problems = new List<string>();
        var sources = fromFiles.ToDictionary(d => d.Id, d => Path.Combine(folder, d.Id + ".json"), StringComparer.OrdinalIgnoreCase);
        var definitions = fromFiles.ToList();
        foreach (var (definition, key) in PlatformTemplates.Create(fromFiles, configuration, problems))
        {
            definitions.Add(definition);
            sources[definition.Id] = key;
        }

        PlatformRegistryChecks.CheckUniqueness(definitions, sources, problems);
        PlatformRegistryChecks.CheckSettingKeys(definitions, configuration, problems);
        if (problems.Count > 0)
        {
            throw new PlatformRegistryException(problems);
        }

        return new PlatformRegistry([.. definitions.Select(d => PlatformResolver.Resolve(d, configuration))]);
    }

    public bool TryGet(string id, [NotNullWhen(true)] out Platform? platform) => _byId.TryGetValue(id, out platform);

    public Platform? Find(string idOrAlias) =>
        _byId.TryGetValue(idOrAlias.Trim(), out var platform) || _byAlias.TryGetValue(idOrAlias.Trim(), out platform) ? platform : null;

    public IReadOnlyList<Platform> FindByPayerId(string payerId) =>
        _byPayerId.TryGetValue(payerId.Trim(), out var platforms) ? platforms : [];

    public bool TryGetCredentials(string id, [NotNullWhen(true)] out PlatformCredentials? credentials) =>
        _credentials.TryGetValue(id, out credentials);
}
