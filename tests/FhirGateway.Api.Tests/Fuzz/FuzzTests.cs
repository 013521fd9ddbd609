using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using FhirGateway.Api.Tests.Fhir;
using Xunit.Abstractions;

namespace FhirGateway.Api.Tests.Fuzz;

/// <summary>A seeded, bounded fuzz run of malformed requests against the gateway on real Kestrel.</summary>
public sealed class FuzzTests(FuzzFixture fixture, ITestOutputHelper output) : IClassFixture<FuzzFixture>
{
    private const int Seed = 20261128;
    /// <summary>Generated; some (about 9 %) the HTTP client itself will not send, and at least <see cref="MustReach"/> must reach the gateway.</summary>
    private const int Requests = 11_500;
    private const int MustReach = 10_000;
    private const int Parallelism = 16;

    [Fact]
    public async Task MalformedRequests_TenThousand_NoServerErrorAndEveryRefusalInTheRouteFormat()
    {
        using var session = new FhirSession(fixture);
        await session.ConnectAsync(); // a real session: what passes validation reaches the real sandbox
        var generator = new MalformedRequests(Seed, FhirGatewayFixture.Payer, FuzzFixture.MaxBodyBytes);
        var requests = Enumerable.Range(0, Requests).Select(_ => generator.Next()).ToList();
        var statuses = new ConcurrentDictionary<string, int>();
        var failures = new ConcurrentQueue<string>();
        var clientRefused = 0;
        var refusedBy = new ConcurrentDictionary<string, int>();
        var budget = Stopwatch.StartNew();

        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (request, cancellationToken) =>
        {
            HttpResponseMessage response;
            try
            {
                using var message = request.ToMessage();
                response = await session.Http.SendAsync(message, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException { HttpRequestError: not HttpRequestError.ResponseEnded and not HttpRequestError.ConnectionError } or InvalidOperationException or FormatException)
            {
                // The client itself refuses to send it (e.g. a header or URL it cannot encode): nothing reached the gateway.
                Interlocked.Increment(ref clientRefused);
                refusedBy.AddOrUpdate(e.GetType().Name, 1, (_, n) => n + 1);
                return;
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                var kestrel = IsKestrelRefusal(response, body) ? " (Kestrel, before the app)" : "";
                statuses.AddOrUpdate($"{request.Target} {status.ToString(CultureInfo.InvariantCulture)}{kestrel}", 1, (_, n) => n + 1);
                if (Problem(request, response, body) is { } problem)
                {
                    failures.Enqueue($"{status} {request}: {problem}");
                }
            }
        });
        var elapsed = budget.Elapsed;

        foreach (var (key, count) in statuses.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{key}: {count}");
        }

        output.WriteLine($"client refused to send: {clientRefused} ({string.Join(", ", refusedBy.Select(r => $"{r.Key} {r.Value}"))}); {statuses.Values.Sum()} of {Requests} reached the gateway in {elapsed.TotalSeconds:F1} s (seed {Seed})");
        using var health = await session.Http.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.True(failures.IsEmpty, $"{failures.Count} bad answers, e.g.:\n{string.Join('\n', failures.Take(15))}");
        Assert.True(statuses.Values.Sum() >= MustReach, $"only {statuses.Values.Sum()} of {Requests} requests reached the gateway");
        Assert.DoesNotContain(statuses.Keys, k => k.Contains(" 5", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

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
}
