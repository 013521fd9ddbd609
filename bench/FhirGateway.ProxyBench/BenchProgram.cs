using System.Globalization;
using FhirGateway.Bench;

namespace FhirGateway.ProxyBench;

/// <summary>
/// One command: starts the canned upstream in this process and a plain YARP forwarder and the gateway in processes
/// of their own on 127.0.0.1, connects a session through the gateway's login, checks the measured path is the real
/// one, then measures read and search directly, through YARP and through the gateway, and prints Markdown tables of
/// the figures and their ratios.
/// </summary>
internal static class BenchProgram
{
    /// <summary>The least share of an open loop's offered rate a target must carry for its latencies to be below saturation.</summary>
    private const double CarriedShare = 0.97;

    public static async Task<int> Main(string[] args)
    {
        if (args is [YarpForwarder.ServeFlag, var upstreamOrigin, var port, var hosting])
        {
            return await YarpForwarder.ServeAsync(upstreamOrigin, int.Parse(port, CultureInfo.InvariantCulture), slim: hosting == YarpForwarder.SlimFlag);
        }

        // This process is the load generator and the upstream, on cores it shares with the proxies it measures, so it
        // should take as little of them as it can: its idle pool threads do not spin waiting for work (at an even
        // open-loop rate that cost it ~1.8 cores), and the upstream answers on the socket thread that read the request
        // (see CannedUpstream). Both are read once, before the first pool thread and the first socket; the proxies get
        // their own settings (ProxyProcess).
        AppContext.SetData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", "0");
        Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");

        if (args.Contains("--help") || BenchOptions.Parse(args) is not { } options)
        {
            Console.WriteLine(BenchOptions.Usage);
            return args.Contains("--help") ? 0 : 2;
        }

        Console.WriteLine($"FHIR Gateway proxy benchmark · {MachineInfo.Describe()}");
        // Before anything else runs: the machine's own price for a wake-up, which every hop pays below saturation.
        if (WakeProbe.Describe() is { } wakeUps)
        {
            Console.WriteLine(wakeUps);
        }

        if (options.WakeProbeOnly)
        {
            return 0;
        }

        ProxyProcess.Cpus = options.ProxyCpus;
        if (options.Large)
        {
            return await LargeAnswerBench.RunAsync(options.Nginx, options.GatewaySettings);
        }

        if (options.Store == "redis")
        {
            return await RedisStoreBench.RunAsync(options);
        }

        Console.WriteLine(options.ProxyCpus is null
            ? "Load generator and upstream in this process; YARP and the gateway each in a process of its own; all share the cores."
            : $"Load generator and upstream in this process on CPUs {OwnCpus()}; YARP and the gateway each in a process of its own on CPUs {options.ProxyCpus}.");
        Console.WriteLine($"Gateway: FhirGateway.Api.dll, Production, in-memory token store, audit to its log, OpenTelemetry {(options.Otlp ? "exported over OTLP to a sink in this process" : "off (no OTLP endpoint)")}{string.Concat(options.GatewaySettings.Select(s => ", " + s))}.");
        // The canned upstream is also the OTLP sink and, with --upstream sandbox, only that.
        await using var upstream = await CannedUpstream.StartAsync();
        var compare = options.CompareSettings.Count > 0 || options.CompareApi is not null || options.CompareEnvironment.Count > 0 || options.CompareOtlp;
        // The gateways' ports first: the sandbox's authorization server accepts only callbacks it knows.
        var gatewayPort = ProxyProcess.FreeLoopbackPort();
        var variantPort = ProxyProcess.FreeLoopbackPort();
        await using var sandbox = options.Upstream == "sandbox"
            ? await SandboxUpstream.StartAsync([GatewayProcess.Origin(gatewayPort), GatewayProcess.Origin(variantPort)])
            : null;
        var (origin, basePath, platform, bearer) = sandbox is null
            ? (upstream.Origin, "/fhir", upstream.Platform, (string?)null)
            : (sandbox.Origin, SandboxUpstream.BasePath, sandbox.Platform, sandbox.AccessToken);
        var (readPath, searchPath) = sandbox is null ? (BenchTarget.ReadPath, BenchTarget.SearchPath) : (SandboxUpstream.ReadPath, SandboxUpstream.SearchPath);
        Func<Uri, Task<Uri>>? authorize = sandbox is null ? null : sandbox.AuthorizeAsync;
        Console.WriteLine(sandbox is null
            ? "Upstream: the canned FHIR server in this process."
            : $"Upstream: the SMART sandbox (Node: Medplum FHIR engine, oidc-provider), {sandbox.FhirBase}; the gateway logs in through its form, the other targets send a token got the same way.");
        // This process's own collections, to lay beside the open loop's slowest requests (GcOverlap).
        await using var self = GcMeter.SharesStopwatchClock ? await GcMeter.StartAsync(Environment.ProcessId) : null;
        await using var yarp = await YarpForwarder.StartProcessAsync(origin, options.YarpEnvironment);
        await using var yarpSlim = options.YarpSlim ? await YarpForwarder.StartProcessAsync(origin, options.YarpEnvironment, slim: true) : null;
        await using var nginx = options.Nginx ? await NginxRelay.StartProcessAsync(origin) : null;
        var otlpSink = options.Otlp ? upstream.Origin : null;
        await using var gateway = await GatewayProcess.StartAsync("gateway", platform, otlpSink, options.GatewaySettings, port: gatewayPort);
        var cookie = await GatewayLogin.ConnectAsync(gateway.Origin, GatewayProcess.PlatformId, authorize);
        var throughGateway = new BenchTarget("gateway", GatewayProcess.FhirBase(gateway), cookie, gateway);
        // An A/B in one run: a second gateway with more settings, measured in the same alternation.
        await using var variant = compare
            ? await GatewayProcess.StartAsync(
                "gateway-b", platform, options.CompareOtlp ? upstream.Origin : null, [.. options.GatewaySettings, .. options.CompareSettings], options.CompareApi,
                options.CompareEnvironment, variantPort)
            : null;
        BenchTarget[] targets =
        [
            new("direct", origin + basePath, cookie, null, bearer),
            new("yarp", yarp.Origin + basePath, cookie, yarp, bearer),
            .. yarpSlim is null ? Array.Empty<BenchTarget>() : [new BenchTarget("yarp-slim", yarpSlim.Origin + basePath, cookie, yarpSlim, bearer)],
            .. nginx is null ? Array.Empty<BenchTarget>() : [new BenchTarget(NginxRelay.Name, nginx.Origin + basePath, cookie, nginx, bearer)],
            throughGateway,
            .. variant is null ? Array.Empty<BenchTarget>() : [new BenchTarget(
                "gateway-b", GatewayProcess.FhirBase(variant),
                await GatewayLogin.ConnectAsync(variant.Origin, GatewayProcess.PlatformId, authorize), variant)],
        ];

        try
        {
            await Preflight.CheckAsync(
                sandbox is null ? upstream : null, throughGateway, targets, readPath, searchPath,
                auditInLog: !options.GatewaySettings.Any(s => s.Contains("Audit", StringComparison.OrdinalIgnoreCase)));
        }
        catch (InvalidOperationException failure)
        {
            Console.Error.WriteLine(failure.Message);
            return 1;
        }

        Console.WriteLine(sandbox is null
            ? "Pre-flight OK: logged in through the gateway, its Bearer token reaches the upstream, ETag kept, Bundle links rewritten, one audit event per call."
            : "Pre-flight OK: logged in through the gateway and the sandbox's form, every target answers, Bundle links rewritten with every entry, one audit event per call.");
        // Tiered JIT: every code path of every target reaches its optimised tier before anything is measured, so the
        // first target measured is not the one that pays for compilation (WarmUp).
        (string Name, string Path)[] interactions =
            [.. new[] { ("read", readPath), ("search", searchPath) }.Where(i => options.Interactions.Contains(i.Item1))];
        foreach (var (interaction, path) in interactions)
        {
            var warmed = new List<string>();
            foreach (var target in targets)
            {
                warmed.Add(await WarmUp.RunAsync(target, path, options.Connections.Max(), options.Warmup));
            }

            Console.WriteLine($"Warmed up on {interaction}, each .NET proxy until it compiled no more methods: {string.Join(", ", warmed)}.");
        }

        var runs = new List<Measurement>();
        foreach (var (interaction, path) in interactions)
        {
            foreach (var connections in options.Connections)
            {
                runs.AddRange(await MeasureAsync(interaction, $"{connections} conn", targets, path, connections, options, rate: null, self));
            }

            if (options.HalfLoad)
            {
                // Latency below saturation: every target at half (--open-loop-share) of what the gateway sustained on the fewest connections.
                var connections = options.Connections.Min();
                var rate = runs.Single(r => r.Interaction == interaction && r.Load == $"{connections} conn" && r.Target == "gateway").Result.RequestsPerSecond * options.OpenLoopShare;
                var paced = await MeasureAsync(interaction, $"{rate:F0}/s ({connections} conn)", targets, path, connections, options, rate, self);
                runs.AddRange(paced);
                WarnIfNotCarried(interaction, rate, paced);
            }
        }

        ResultTable.Print(runs);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{GatewayProcess.AuditEvents(gateway)} audit events in the gateway's log. Proxy CPU and allocations are the proxy process's own; the load generator and upstream's are this process's."));
        if (upstream.OtlpExports > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"The OTLP sink received {upstream.OtlpExports} exports ({upstream.OtlpBytes / 1024.0 / 1024.0:F1} MB of traces, metrics and logs)."));
        }

        foreach (var proxy in options.AllocationTypes == 0 ? [] : targets.Where(t => t.Proxy is { MeasuresAllocations: true }))
        {
            Console.WriteLine();
            Console.WriteLine($"{proxy.Name}: most-allocating types, share of its sampled bytes");
            foreach (var (type, share) in proxy.Proxy!.TopAllocatedTypes(options.AllocationTypes))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {share,6:P1}  {type}"));
            }
        }

        return runs.Any(r => r.Result.Errors > 0) ? 1 : 0;
    }

    /// <summary>
    /// Says so when a target carried less than <see cref="CarriedShare"/> of an open loop's offered rate: the machine
    /// (load generator, upstream and proxy together) could not keep that pace, so the row's latencies are queueing,
    /// not what a hop adds below saturation (2026-11-30: 9,134 searches a second offered on two shared cores, direct
    /// carried 8,858, YARP 7,327).
    /// </summary>
    private static void WarnIfNotCarried(string interaction, double rate, Measurement[] paced)
    {
        var shortOf = paced.Where(m => m.Result.RequestsPerSecond < rate * CarriedShare).ToArray();
        if (shortOf.Length > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {interaction} at {rate:F0}/s offered: not carried by {string.Join(", ", shortOf.Select(m => $"{m.Target} ({m.Result.RequestsPerSecond:F0}/s)"))}; their latencies are queueing. A lower --open-loop-share measures below saturation."));
        }
    }

    /// <summary>The CPUs this process may run on (Linux: <c>Cpus_allowed_list</c>), or "all".</summary>
    private static string OwnCpus() =>
        File.Exists("/proc/self/status")
            ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))?.Split(':')[1].Trim() ?? "all"
            : "all";

    /// <summary>
    /// Each slice's rate and the proxy's CPU per request, in the order measured: a proxy slow in every slice is slow in
    /// that process (one gateway process took 64 µs a read and a second one of the same build, in the slices next to
    /// it, 52: 2026-11-30), one slow slice is the machine's moment.
    /// </summary>
    private static string Slices(List<LoadResult> slices, bool proxy) =>
        slices.Count < 2 ? "" : string.Create(CultureInfo.InvariantCulture,
            $"  slices {string.Join(" / ", slices.Select(s => $"{s.RequestsPerSecond:F0}"))} req/s{(proxy ? $", {string.Join(" / ", slices.Select(s => $"{s.ProxyCpuMicrosecondsPerRequest:F1}"))} µs" : "")}");

    /// <summary>Every target under one load, in <see cref="BenchOptions.Rounds"/> alternating slices merged per target.</summary>
    private static async Task<Measurement[]> MeasureAsync(
        string interaction, string load, BenchTarget[] targets, string path, int connections, BenchOptions options, double? rate, GcMeter? self)
    {
        var slices = targets.ToDictionary(t => t.Name, _ => new List<LoadResult>());
        var slice = options.Duration / options.Rounds;
        for (var round = 0; round < options.Rounds; round++)
        {
            // Every other round in reverse, so no target always follows the same one (an A/B's gateway-b used to
            // follow the gateway in every round).
            foreach (var target in round % 2 == 0 ? targets : Enumerable.Reverse(targets))
            {
                // Progress on stderr (a profiler attached by hand can start on it); the figures go to stdout.
                Console.Error.WriteLine($"  ... {interaction} {load} {target.Name} slice {round + 1}/{options.Rounds}");
                slices[target.Name].Add(await LoadRun.RunAsync(target.Url(path), target.Headers, connections, round == 0 ? options.Warmup : options.Warmup / 4, slice, rate, target.Proxy, self));
            }
        }

        return [.. targets.Select(target =>
        {
            var result = LoadResult.Merge(slices[target.Name]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {interaction,-6} {load,-20} {target.Name,-8} {result.RequestsPerSecond,8:F0} req/s  p50 {result.P50Ms,6:F2} ms  p99 {result.P99Ms,6:F2} ms  errors {result.Errors}{(result.Bunched is { } bunched ? $"  sends bunched {bunched:P1}" : "")}{Slices(slices[target.Name], target.Proxy is not null)}"));
            return new Measurement(interaction, load, target.Name, result, slices[target.Name]);
        })];
    }
}
