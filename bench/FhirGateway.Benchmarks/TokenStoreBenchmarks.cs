using BenchmarkDotNet.Attributes;
using FhirGateway.Core.Tokens;
using FhirGateway.Core.Tokens.Protection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FhirGateway.Benchmarks;

/// <summary>
/// Sealing (JSON + AES-256-GCM) and the in-memory store, which seals on every Save and opens a Get's entry unless its
/// decrypted copy is fresh (FHIR_GATEWAY_TOKEN_CACHE_SECONDS, default 5; 0 opens on every Get).
/// </summary>
[MemoryDiagnoser]
public class TokenStoreBenchmarks
{
    private ServiceProvider _services = null!;
    private TokenSealer _sealer = null!;
    private ServiceProvider _uncachedServices = null!;
    private ITokenStore _store = null!;
    private ITokenStore _uncached = null!;
    private byte[] _sealed = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _services = Build(cacheSeconds: null);
        _uncachedServices = Build(cacheSeconds: "0");
        _sealer = _services.GetRequiredService<TokenSealer>();
        _store = _services.GetRequiredService<ITokenStore>();
        _uncached = _uncachedServices.GetRequiredService<ITokenStore>();
        _sealed = _sealer.Seal(SampleEntries.Owner, SampleEntries.Connection);
        await _store.SaveAsync(SampleEntries.Owner, SampleEntries.Connection);
        await _uncached.SaveAsync(SampleEntries.Owner, SampleEntries.Connection);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        _uncachedServices.Dispose();
    }

    private static ServiceProvider Build(string? cacheSeconds)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection([new(TokenStoreOptions.MasterKeyKey, SampleEntries.MasterKey), new(TokenStoreOptions.TokenCacheSecondsKey, cacheSeconds)])
            .Build());
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddTokenStore(TokenStoreBackend.InMemory);
        return services.BuildServiceProvider();
    }

    [Benchmark(Description = "Seal + open a connection (~1 KB JWT)")]
    public PlatformConnection? SealAndOpen() =>
        _sealer.OpenConnection(SampleEntries.Owner, "epic", _sealer.Seal(SampleEntries.Owner, SampleEntries.Connection));

    [Benchmark(Description = "Seal a connection")]
    public byte[] Seal() => _sealer.Seal(SampleEntries.Owner, SampleEntries.Connection);

    [Benchmark(Description = "Open a connection")]
    public PlatformConnection? Open() => _sealer.OpenConnection(SampleEntries.Owner, "epic", _sealed);

    [Benchmark(Description = "In-memory GetAsync (get + decrypt: cache 0)")]
    public ValueTask<PlatformConnection?> InMemoryGetDecrypt() => _uncached.GetAsync(SampleEntries.Owner, "epic");

    [Benchmark(Description = "In-memory GetAsync (decrypted copy fresh: default 5 s)")]
    public ValueTask<PlatformConnection?> InMemoryGet() => _store.GetAsync(SampleEntries.Owner, "epic");

    [Benchmark(Description = "In-memory SaveAsync")]
    public ValueTask InMemorySave() => _store.SaveAsync(SampleEntries.Owner, SampleEntries.Connection);
}
