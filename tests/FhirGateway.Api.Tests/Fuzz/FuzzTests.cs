using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using FhirGateway.Api.Tests.Fhir;
using FhirGateway.Testing;
using Xunit.Abstractions;

namespace FhirGateway.Api.Tests.Fuzz;

/// <summary>
/// A seeded, bounded fuzz run of malformed requests against the gateway on real Kestrel, and its managed heap (the
/// gateway runs in this process) before and after. <c>FUZZ_REQUESTS</c> and <c>FUZZ_SEED</c> make a longer run.
/// </summary>
[Collection(ApiFuzzGroup.Name)]
public sealed class FuzzTests(FuzzFixture fixture, ITestOutputHelper output) : IClassFixture<FuzzFixture>
{
    /// <summary>Generated; some (about 9 %) the HTTP client itself will not send, and at least <see cref="MustReachShare"/> of them must reach the gateway.</summary>
    private const int DefaultRequests = 11_500;
    private const double MustReachShare = 0.87;
    private const int Parallelism = 16;
    private const int WarmUp = 3_000;

    /// <summary>Growth of the managed heap a run may leave behind, after a forced full collection.</summary>
    private const long MemoryBound = 32L * 1024 * 1024;

    private static readonly int Seed = FuzzRun.Seed(20261128);
    private static readonly int Requests = FuzzRun.Requests(DefaultRequests);
    private static readonly int MustReach = (int)(Requests * MustReachShare);

    [Fact]
    public async Task MalformedRequests_TenThousand_NoServerErrorAndEveryRefusalInTheRouteFormat()
    {
        using var session = new FhirSession(fixture);
        await session.ConnectAsync(); // a real session: what passes validation reaches the real sandbox
        // Warm up (JIT, caches, pools) with the first requests, then take the baseline. Requests are generated as
        // they are sent (the seed repeats them), so the test itself holds none.
        await SendAllAsync(session, Generate(Math.Min(WarmUp, Requests)), new Tally());
        var baseline = ManagedMemory.AfterFullCollection();
        var baselineGenerations = ManagedMemory.Generations();

        var tally = new Tally();
        var budget = Stopwatch.StartNew();
        await SendAllAsync(session, Generate(Requests), tally);
        var elapsed = budget.Elapsed;
        var after = await ManagedMemory.SettledAsync(baseline, MemoryBound);

        foreach (var (key, count) in tally.Statuses.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{key}: {count}");
        }

        var reached = tally.Statuses.Values.Sum();
        output.WriteLine($"client refused to send: {tally.ClientRefused} ({string.Join(", ", tally.RefusedBy.Select(r => $"{r.Key} {r.Value}"))}); {reached} of {Requests} reached the gateway in {elapsed.TotalSeconds:F1} s (seed {Seed})");
        output.WriteLine($"sent: {ManagedMemory.Megabytes(tally.Sent)} of URLs and bodies");
        output.WriteLine($"managed heap: baseline {ManagedMemory.Megabytes(baseline)}, after {ManagedMemory.Megabytes(after)} ({ManagedMemory.Megabytes(after - baseline)} more; bound {ManagedMemory.Megabytes(MemoryBound)})");
        output.WriteLine($"baseline: {baselineGenerations}; after: {ManagedMemory.Generations()}");
        using var health = await session.Http.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.True(tally.Failures.IsEmpty, $"{tally.Failures.Count} bad answers, e.g.:\n{string.Join('\n', tally.Failures.Take(15))}");
        Assert.True(reached >= MustReach, $"only {reached} of {Requests} requests reached the gateway");
        Assert.DoesNotContain(tally.Statuses.Keys, k => k.Contains(" 5", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.True(after - baseline < MemoryBound, $"managed heap grew {ManagedMemory.Megabytes(after - baseline)} over the run");
    }

    private static IEnumerable<FuzzRequest> Generate(int count)
    {
        var generator = new MalformedRequests(Seed, FhirGatewayFixture.Payer, FuzzFixture.MaxBodyBytes);
        for (var i = 0; i < count; i++)
        {
            yield return generator.Next();
        }
    }

    private static Task SendAllAsync(FhirSession session, IEnumerable<FuzzRequest> requests, Tally tally) =>
        Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (request, cancellationToken) =>
        {
            HttpResponseMessage response;
            Interlocked.Add(ref tally.Sent, (request.Body?.Length ?? 0) + request.Url.Length);
            try
            {
                using var message = request.ToMessage();
                response = await session.Http.SendAsync(message, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException { HttpRequestError: not HttpRequestError.ResponseEnded and not HttpRequestError.ConnectionError } or InvalidOperationException or FormatException)
            {
                // The client itself refuses to send it (e.g. a header or URL it cannot encode): nothing reached the gateway.
                Interlocked.Increment(ref tally.ClientRefused);
                tally.RefusedBy.AddOrUpdate(e.GetType().Name, 1, (_, n) => n + 1);
                return;
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                var kestrel = IsKestrelRefusal(response, body) ? " (Kestrel, before the app)" : "";
                tally.Statuses.AddOrUpdate($"{request.Target} {status.ToString(CultureInfo.InvariantCulture)}{kestrel}", 1, (_, n) => n + 1);
                if (Problem(request, response, body) is { } problem)
                {
                    tally.Failures.Enqueue($"{status} {request}: {problem}");
                }
            }
        });

    /// <summary>What is wrong with an answer, or null. 502/504 would be the upstream's doing, not the gateway's; none is expected from the sandbox.</summary>
    private static string? Problem(FuzzRequest request, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            return "server error: " + (body.Length > 300 ? body[..300] : body);
        }

        if (status < 400 || request.Method == HttpMethod.Head || IsKestrelRefusal(response, body))
        {
            return null;
        }

        if (status == 404 && body.Length == 0 && HasDotSegment(request.Url))
        {
            // The server removes dot segments (RFC 3986 §5.2.4) before routing: the path left is no gateway route.
            return null;
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        return request.Target switch
        {
            FuzzTarget.Fhir when mediaType != "application/fhir+json" || !IsOutcome(body) => $"refusal is not an OperationOutcome ({mediaType}): {Short(body)}",
            FuzzTarget.Callback when request.Method == HttpMethod.Get && mediaType != "text/html" => $"callback refusal is not the HTML page ({mediaType}): {Short(body)}",
            _ => null,
        };
    }

    /// <summary>
    /// Kestrel answers a request it cannot parse or will not take (a NUL or control character in the path, a
    /// request line or headers over its limits) itself, with an empty 400/414/431, before any gateway code runs.
    /// </summary>
    private static bool IsKestrelRefusal(HttpResponseMessage response, string body) =>
        body.Length == 0 && response.Content.Headers.ContentType is null && (int)response.StatusCode is 400 or 414 or 431;

    private static bool HasDotSegment(string url)
    {
        var path = url.Split('?', 2)[0];
        return path.Split('/').Any(s => Uri.UnescapeDataString(s) is "." or "..");
    }

    private static bool IsOutcome(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("resourceType", out var type) && type.GetString() == "OperationOutcome";
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Short(string body) => body.Length > 200 ? body[..200] : body;

    private sealed class Tally
    {
        public int ClientRefused;

        public long Sent;

        public ConcurrentDictionary<string, int> Statuses { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, int> RefusedBy { get; } = new(StringComparer.Ordinal);

        public ConcurrentQueue<string> Failures { get; } = new();
    }
}

/// <summary>Fuzz runs measure this process's managed heap, where the gateway runs: alone, after the parallel collections.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ApiFuzzGroup
{
    public const string Name = "api-fuzz";
}
