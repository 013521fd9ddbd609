extern alias api;

using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using FhirGateway.Bench;
using FhirGateway.Core.Auth;
using FhirGateway.Core.Identity;
using FhirGateway.Core.Tokens;
using FhirGateway.Testing;

namespace FhirGateway.ScenarioBench.Storm;

/// <summary>
/// Refresh storm: one connection whose access token has expired, and many concurrent requests that need it, on
/// the real Api's services (<see cref="ISmartAuthorization.GetConnectionAsync"/>: the store read, the single
/// flight, the cross-replica lock and events, the real SMART token client, the store write). Counts the token
/// endpoint's calls (must be one) and compares the storm's wall time with one refresh measured alone, with the
/// in-memory store and with Redis (a real redis-server).
/// </summary>
internal static class StormScenario
{
    private const double TargetRatio = 1.5;

    public static async Task<IReadOnlyList<Figure>> RunAsync(ScenarioOptions options)
    {
        await using var tokenEndpoint = await StandInTokenEndpoint.StartAsync(options.TokenDelay);
        var bare = await BareRoundTripAsync(tokenEndpoint.TokenUrl);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"storm: stand-in token endpoint with a {options.TokenDelay.TotalMilliseconds:F0} ms delay; bare POST round trip {bare:F1} ms"));
        var figures = new List<Figure>();
        var settings = new Dictionary<string, string>
        {
            ["FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_TOKEN_URL"] = tokenEndpoint.TokenUrl,
            ["FHIR_GATEWAY_PLATFORM_LOCAL_SANDBOX_FHIR_BASE_URL"] = "http://127.0.0.1:9/fhir",
        };
        await using (var memory = new GatewayHost<api::Program>(settings).Start())
        {
            figures.AddRange(await MeasureStoreAsync("in memory", memory.Services, tokenEndpoint, options, bare));
        }

        await using var redis = await RedisServer.StartAsync();
        await using (var shared = new GatewayHost<api::Program>(new Dictionary<string, string>(settings) { ["ConnectionStrings:redis"] = redis.ConnectionString }).Start())
        {
            figures.AddRange(await MeasureStoreAsync("Redis", shared.Services, tokenEndpoint, options, bare));
        }

        return figures;
    }

    private static async Task<IReadOnlyList<Figure>> MeasureStoreAsync(
        string store, IServiceProvider services, StandInTokenEndpoint tokenEndpoint, ScenarioOptions options, double bare)
    {
        var auth = services.GetRequiredService<ISmartAuthorization>();
        var tokens = services.GetRequiredService<ITokenStore>();

        // Warm-up round: JIT, connection pools, Redis subscriptions.
        await OneAsync(auth, tokens);
        await StormAsync(auth, tokens, options.StormRequests);

        var singles = new List<double>();
        var storms = new List<double>();
        var ratios = new List<double>();
        var maxCalls = 0;
        for (var round = 0; round < options.StormRounds; round++)
        {
            var single = await OneAsync(auth, tokens);
            var before = tokenEndpoint.Calls;
            var storm = await StormAsync(auth, tokens, options.StormRequests);
            var calls = tokenEndpoint.Calls - before;
            maxCalls = Math.Max(maxCalls, calls);
            singles.Add(single);
            storms.Add(storm);
            ratios.Add(storm / single);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {store,-9} round {round + 1}: one refresh {single,6:F1} ms; {options.StormRequests} concurrent {storm,6:F1} ms ({storm / single:F2}×); token calls {calls}"));
        }

        var one = Stats.Median(singles);
        var all = Stats.Median(storms);
        var ratio = Stats.Median(ratios);
        return
        [
            new("storm", $"{store}: token endpoint calls per storm of {options.StormRequests}", maxCalls.ToString(CultureInfo.InvariantCulture) + " (max over rounds)",
                "1 refresh", Format.Ratio("calls/1", maxCalls), "exactly 1", maxCalls == 1),
            new("storm", $"{store}: {options.StormRequests} concurrent on an expired token", Format.Ms(all),
                $"one refresh alone: {Format.Ms(one)} (bare token POST {Format.Ms(bare)})",
                Format.Ratio("storm/one refresh", ratio) + " (median of rounds)", "≤ 1.5", ratio <= TargetRatio),
        ];
    }

    /// <summary>One request on an expired token, alone: the anchor.</summary>
    private static async Task<double> OneAsync(ISmartAuthorization auth, ITokenStore tokens)
    {
        var owner = await SeedExpiredAsync(tokens);
        var started = Stopwatch.GetTimestamp();
        var connection = await auth.GetConnectionAsync(owner, BenchPlatform.Id);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Check(connection);
        return elapsed;
    }

    /// <summary>
    /// <paramref name="requests"/> callers released together on one expired connection; the wall time until the
    /// last has its connection. Every caller must get the same refreshed token.
    /// </summary>
    private static async Task<double> StormAsync(ISmartAuthorization auth, ITokenStore tokens, int requests)
    {
        var owner = await SeedExpiredAsync(tokens);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var callers = Enumerable.Range(0, requests)
            .Select(_ => Task.Run(async () =>
            {
                await go.Task;
                return await auth.GetConnectionAsync(owner, BenchPlatform.Id);
            }))
            .ToArray();
        var started = Stopwatch.GetTimestamp();
        go.SetResult();
        var connections = await Task.WhenAll(callers);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (connections.Select(c => c.AccessToken).Distinct(StringComparer.Ordinal).Count() != 1)
        {
            throw new InvalidOperationException("The storm's callers did not all get the same refreshed access token.");
        }

        Check(connections[0]);
        return elapsed;
    }

    private static void Check(PlatformConnection connection)
    {
        if (connection.RefreshedAt is null || connection.ExpiresAt <= DateTimeOffset.UtcNow)
        {
            throw new InvalidOperationException("The connection handed out was not refreshed.");
        }
    }

    private static async Task<OwnerKey> SeedExpiredAsync(ITokenStore tokens)
    {
        var owner = OwnerKey.ForGatewayKey(GatewayKey.Create());
        var now = DateTimeOffset.UtcNow;
        await tokens.SaveAsync(owner, new PlatformConnection
        {
            PlatformId = BenchPlatform.Id,
            AccessToken = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            RefreshToken = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ExpiresAt = now.AddMinutes(-1),
            Scope = "openid fhirUser launch/patient offline_access patient/*.rs",
            ConnectedAt = now.AddHours(-1),
        });
        return owner;
    }

    /// <summary>A refresh grant straight to the endpoint, no gateway: what the network and the endpoint cost.</summary>
    private static async Task<double> BareRoundTripAsync(string tokenUrl)
    {
        using var http = new HttpClient();
        var samples = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = "x" });
            var started = Stopwatch.GetTimestamp();
            using var response = await http.PostAsync(new Uri(tokenUrl), form);
            response.EnsureSuccessStatusCode();
            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return Stats.Median(samples.Skip(1).ToArray());
    }
}
