using System.Net.Http.Headers;
using System.Text.Json;
using FhirGateway.Bench;

namespace FhirGateway.ProxyBench;

/// <summary>
/// Before anything is timed: the measured path must be the real one. Every target answers both interactions; through
/// the gateway the search Bundle's links come back rewritten to the gateway with every entry, and one audit event is
/// written per call. With the canned upstream, a read also reaches it with the stored token as
/// <c>Authorization: Bearer</c> and keeps its ETag (the sandbox checks the token itself: a read without it is a 401
/// there). Any miss stops the run.
/// </summary>
internal static class Preflight
{
    /// <param name="canned">The canned upstream, or null for the sandbox.</param>
    /// <param name="auditInLog">False when a <c>--gateway-setting</c> changed where audit events go: then they are not counted.</param>
    public static async Task CheckAsync(
        CannedUpstream? canned, BenchTarget gateway, IReadOnlyList<BenchTarget> targets, string readPath, string searchPath, bool auditInLog)
    {
        using var client = new HttpClient();
        foreach (var target in targets)
        {
            foreach (var path in new[] { readPath, searchPath })
            {
                using var response = await SendAsync(client, target, path);
                Require(response.IsSuccessStatusCode, $"{target.Name} {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        var audited = await AuditEventsAsync(gateway);
        using (var read = await SendAsync(client, gateway, readPath))
        {
            if (canned is not null)
            {
                Require(canned.LastAuthorization is ['B', 'e', 'a', 'r', 'e', 'r', ' ', .. var token] && canned.Issued(token),
                    $"the upstream did not receive the stored access token as Authorization: Bearer (it saw '{Shorten(canned.LastAuthorization)}').");
                Require(read.Headers.ETag?.ToString() == CannedFhir.PatientETag, $"the gateway dropped the ETag (got '{read.Headers.ETag}').");
            }

            Require(read.Content.Headers.ContentType?.MediaType == "application/fhir+json", "the gateway did not answer application/fhir+json.");
        }

        using (var search = await SendAsync(client, gateway, searchPath))
        {
            // Against the upstream's own answer (targets[0] is direct): every link kept and rewritten, every entry kept.
            using var bundle = JsonDocument.Parse(await search.Content.ReadAsByteArrayAsync());
            using var direct = await SendAsync(client, targets[0], searchPath);
            using var directBundle = JsonDocument.Parse(await direct.Content.ReadAsByteArrayAsync());
            var links = bundle.RootElement.GetProperty("link").EnumerateArray().Select(l => l.GetProperty("url").GetString() ?? "").ToList();
            Require(links.Count > 0 && links.Count == directBundle.RootElement.GetProperty("link").GetArrayLength()
                && links.All(l => l.StartsWith(gateway.FhirBase + "/Observation?", StringComparison.Ordinal)),
                $"the search Bundle's links were not rewritten to the gateway: {string.Join(", ", links)}");
            var entries = bundle.RootElement.GetProperty("entry").GetArrayLength();
            Require(entries > 0 && entries == directBundle.RootElement.GetProperty("entry").GetArrayLength(), "the search Bundle lost entries.");
        }

        var written = await AuditEventsAsync(gateway) - audited;
        Require(!auditInLog || written == 2, $"expected one audit event per gateway call in its log, got {written} for 2 calls.");
    }

    /// <summary>The audit events in the gateway's log once the count has held for half a second (the log is written in batches).</summary>
    private static async Task<int> AuditEventsAsync(BenchTarget gateway)
    {
        var count = GatewayProcess.AuditEvents(gateway.Proxy!);
        for (var (held, attempt) = (0, 0); held < 5 && attempt < 50; attempt++)
        {
            await Task.Delay(100);
            var now = GatewayProcess.AuditEvents(gateway.Proxy!);
            held = now == count ? held + 1 : 0;
            count = now;
        }

        return count;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, BenchTarget target, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, target.Url(path));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
        if (target.Cookie is { } cookie)
        {
            request.Headers.Add("Cookie", cookie);
        }

        if (target.Bearer is { } bearer)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client.SendAsync(request);
    }

    private static void Require(bool condition, string failure)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Pre-flight check failed: {failure}");
        }
    }

    private static string Shorten(string? value) => value is null ? "(none)" : value.Length > 24 ? value[..24] + "…" : value;
}
