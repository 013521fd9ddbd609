using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using FhirGateway.Core.Tokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace FhirGateway.Benchmarks;

/// <summary>
/// The Redis store against a real local redis-server (started here on a free port, persistence off; needs
/// redis-server on the PATH): one round trip per uncached Get/Save, none for a Get the decrypted-connection cache
/// answers (FHIR_GATEWAY_TOKEN_CACHE_SECONDS).
/// </summary>
[MemoryDiagnoser]
public class TokenStoreRedisBenchmarks
{
    private Process _server = null!;
    private ConnectionMultiplexer _redis = null!;
    private ServiceProvider _services = null!;
    private ITokenStore _store = null!;

    [Params(0, 5)]
    public int CacheSeconds { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var port = FreePort();
        _server = Process.Start(new ProcessStartInfo("redis-server",
            ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("redis-server did not start (is it on the PATH?).");
        _redis = await ConnectWhenUpAsync($"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection([
                new(TokenStoreOptions.MasterKeyKey, SampleEntries.MasterKey),
                new("FHIR_GATEWAY_TOKEN_CACHE_SECONDS", CacheSeconds.ToString(CultureInfo.InvariantCulture)),
            ])
            .Build());
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<IConnectionMultiplexer>(_redis);
        services.AddTokenStore(TokenStoreBackend.Redis);
        _services = services.BuildServiceProvider();
        _store = _services.GetRequiredService<ITokenStore>();
        await _store.SaveAsync(SampleEntries.Owner, SampleEntries.Connection);
        await _store.GetAsync(SampleEntries.Owner, "epic");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        _redis.Dispose();
        _server.Kill();
        _server.Dispose();
    }

    [Benchmark(Description = "Redis GetAsync (get + decrypt)")]
    public ValueTask<PlatformConnection?> RedisGet() => _store.GetAsync(SampleEntries.Owner, "epic");

    [Benchmark(Description = "Redis SaveAsync (encrypt + set)")]
    public ValueTask RedisSave() => _store.SaveAsync(SampleEntries.Owner, SampleEntries.Connection);

    private static async Task<ConnectionMultiplexer> ConnectWhenUpAsync(string endpoint)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await ConnectionMultiplexer.ConnectAsync(endpoint);
            }
            catch (RedisConnectionException) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
