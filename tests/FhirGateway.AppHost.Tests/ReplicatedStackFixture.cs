using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FhirGateway.AppHost.Tests;

/// <summary>
/// The local stack with two Api replicas (<c>--api-replicas 2</c>) and the Mcp behind one redis-server: real
/// processes under DCP. Exposes each replica's own address as DCP reports it, beside the proxy address in front.
/// </summary>
public sealed class ReplicatedStackFixture : IAsyncLifetime
{
    internal const int Replicas = 2;

    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The stack has not started.");

    /// <summary>The Api replicas, each healthy, in a stable order.</summary>
    public IReadOnlyList<ApiReplica> ApiReplicas { get; private set; } = [];

    /// <summary>How long the stack took to start and become healthy.</summary>
    public TimeSpan StartDuration { get; private set; }

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        using var cts = new CancellationTokenSource(LocalStackFixture.StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FhirGateway_AppHost>(
            ["--mode", "local", "--api-replicas", Replicas.ToString(CultureInfo.InvariantCulture)],
            (options, _) => options.DisableDashboard = true, cts.Token);
        _app = await builder.BuildAsync(cts.Token);
        await _app.StartAsync(cts.Token);
        foreach (var name in new[] { "redis", "sandbox-fhir", "sandbox-auth", "mcp" })
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(name, cts.Token);
        }

        ApiReplicas = await HealthyReplicasAsync(_app.ResourceNotifications, "api", Replicas, cts.Token);
        foreach (var replica in ApiReplicas)
        {
            await ListeningAsync(replica, cts.Token);
        }

        StartDuration = clock.Elapsed;
    }

    /// <summary>
    /// Watches until <paramref name="count"/> distinct instances of <paramref name="name"/> report healthy. Each
    /// replica is its own DCP executable with its own snapshot: its process id and the port DCP told it to serve on.
    /// </summary>
    private static async Task<IReadOnlyList<ApiReplica>> HealthyReplicasAsync(
        ResourceNotificationService notifications, string name, int count, CancellationToken cancellationToken)
    {
        var latest = new Dictionary<string, ResourceEvent>(StringComparer.Ordinal);
        await foreach (var update in notifications.WatchAsync(cancellationToken))
        {
            if (update.Resource.Name != name)
            {
                continue;
            }

            latest[update.ResourceId] = update;
            var healthy = latest.Values.Where(e => e.Snapshot.HealthStatus == HealthStatus.Healthy).ToList();
            if (healthy.Count >= count)
            {
                return [.. healthy.Select(ApiReplica.From).OrderBy(r => r.ResourceId, StringComparer.Ordinal)];
            }
        }

        throw new OperationCanceledException(cancellationToken);
    }

    /// <summary>
    /// Waits until the replica answers on its own port. The health DCP reports comes through the proxy in front of
    /// the replicas, so under load (the whole suite at once) a replica can be reported healthy a moment before it
    /// listens; tests that name a replica need that replica.
    /// </summary>
    private static async Task ListeningAsync(ApiReplica replica, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(replica.Address, "/health"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}

/// <summary>One Api replica: DCP's id for it, its own address (not the proxy's) and its process id.</summary>
public sealed record ApiReplica(string ResourceId, Uri Address, int ProcessId)
{
    internal static ApiReplica From(ResourceEvent update)
    {
        var snapshot = update.Snapshot;
        // DCP allocates each replica's port and hands it over as ASPNETCORE_URLS; the snapshot shows the resolved value.
        var urls = snapshot.EnvironmentVariables.Single(v => v.Name == "ASPNETCORE_URLS").Value
            ?? throw new InvalidOperationException($"{update.ResourceId} has no ASPNETCORE_URLS.");
        var address = urls.Split(';').Select(u => new Uri(u)).First(u => u.Scheme == Uri.UriSchemeHttp);
        var pid = snapshot.Properties.Single(p => p.Name == "executable.pid").Value;
        return new ApiReplica(update.ResourceId, address, Convert.ToInt32(pid, CultureInfo.InvariantCulture));
    }
}
