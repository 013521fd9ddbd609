using System.Globalization;
using StackExchange.Redis;

namespace FhirGateway.ProxyBench;

/// <summary>
/// <c>INFO commandstats</c> call counts. Redis counts the commands a script runs as well as the EVALSHA that ran it,
/// so <see cref="RoundTrips"/> counts what clients sent: everything except the commands the token store's scripts
/// issue inside (each connection script does one HGET/HGETALL/HSET/HDEL, the write scripts one PUBLISH, the read and
/// write scripts one PEXPIRE; EXISTS and RENAME only after a key rotation).
/// </summary>
internal sealed record CommandStats(IReadOnlyDictionary<string, long> Calls)
{
    private static readonly string[] InsideScripts = ["hget", "hgetall", "hset", "hdel", "exists", "rename"];

    public static async Task<CommandStats> ReadAsync(IServer server)
    {
        var info = await server.InfoAsync("commandstats");
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, value) in info.SelectMany(g => g))
        {
            // cmdstat_evalsha -> calls=12,usec=...
            var name = key.StartsWith("cmdstat_", StringComparison.Ordinal) ? key["cmdstat_".Length..] : key;
            var field = value.Split(',').First(f => f.StartsWith("calls=", StringComparison.Ordinal));
            calls[name] = long.Parse(field["calls=".Length..], CultureInfo.InvariantCulture);
        }

        return new CommandStats(calls);
    }

    public CommandStats Since(CommandStats before) => new(Calls.ToDictionary(
        c => c.Key, c => c.Value - before.Calls.GetValueOrDefault(c.Key), StringComparer.Ordinal));

    /// <summary>All calls but the INFO that read these figures.</summary>
    public long Total => Calls.Where(c => c.Key != "info").Sum(c => c.Value);

    /// <summary>Commands clients sent (see the type's remarks).</summary>
    public long RoundTrips
    {
        get
        {
            var inside = InsideScripts.Sum(Get);
            var scriptedExpires = Get("hget") + Get("hgetall") + Get("hset");
            var scriptedPublishes = Get("hset") + Get("hdel");
            return Total - inside - Math.Min(Get("pexpire"), scriptedExpires) - Math.Min(Get("publish"), scriptedPublishes);
        }
    }

    /// <summary>The non-zero counts, e.g. <c>evalsha 1000, hget 1000, pexpire 1000</c>.</summary>
    public string Breakdown => string.Join(", ", Calls.Where(c => c.Value > 0 && c.Key != "info")
        .OrderByDescending(c => c.Value).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value}")));

    private long Get(string name) => Calls.GetValueOrDefault(name);
}
