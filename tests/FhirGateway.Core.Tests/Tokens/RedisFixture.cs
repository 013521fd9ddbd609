using FhirGateway.Core.Tokens.Redis;
using FhirGateway.Testing;
using StackExchange.Redis;

namespace FhirGateway.Core.Tests.Tokens;

/// <summary>One real redis-server for the Redis test classes (which run one after another in its collection).</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisServer? _server;

    public RedisServer Server => _server ?? throw new InvalidOperationException("redis-server not started.");

    public async Task InitializeAsync() => _server = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A new connection, as another gateway process would have, with the gateway's timeouts.</summary>
    public Task<IConnectionMultiplexer> ConnectAsync() => ConnectAsync(Server);

    public static async Task<IConnectionMultiplexer> ConnectAsync(RedisServer server) =>
        await ConnectionMultiplexer.ConnectAsync(Options(server));

    /// <summary>A connection for reading and writing raw keys in a test.</summary>
    public IConnectionMultiplexer Connect() => ConnectionMultiplexer.Connect(Options(Server));

    private static ConfigurationOptions Options(RedisServer server)
    {
        var options = ConfigurationOptions.Parse(server.ConnectionString);
        RedisTimeouts.Apply(options);
        options.AllowAdmin = true;
        return options;
    }
}

[CollectionDefinition(Name)]
public sealed class RedisTests : ICollectionFixture<RedisFixture>
{
    public const string Name = "redis";
}
