using System.Globalization;
using FhirGateway.Bench;

namespace FhirGateway.ProxyBench;

/// <summary>Command-line options; the defaults keep a whole run near five minutes.</summary>
internal sealed record BenchOptions
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(6);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    public IReadOnlyList<int> Connections { get; init; } = [16, 64];

    /// <summary>
    /// Each target's measured time is split into this many slices, taken in turn with the other targets' (direct,
    /// YARP, gateway, direct, ...), so a machine that slows down or speeds up during a run shifts every target alike.
    /// </summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Which interactions to measure: <c>read</c>, <c>search</c> or both (A/B runs of one path).</summary>
    public IReadOnlyList<string> Interactions { get; init; } = ["read", "search"];

    /// <summary>Also measure latency at half of the gateway's saturated throughput (open loop).</summary>
    public bool HalfLoad { get; init; } = true;

    /// <summary>The open loop's rate as a share of the gateway's closed-loop rate on the fewest connections (default a half).</summary>
    public double OpenLoopShare { get; init; } = 0.5;

    /// <summary>
    /// The gateway exports its telemetry over OTLP to a sink in this process, as deployed with a collector; without
    /// an endpoint the gateway collects none.
    /// </summary>
    public bool Otlp { get; init; }

    /// <summary>The same for the second gateway (<c>gateway-b</c>): telemetry's cost as an A/B within one run.</summary>
    public bool CompareOtlp { get; init; }

    /// <summary>More gateway settings, <c>key=value</c> (configuration keys, <c>:</c> for sections), to size one part's share.</summary>
    public IReadOnlyList<string> GatewaySettings { get; init; } = [];

    /// <summary>Settings of a second gateway (<c>gateway-b</c>) measured beside the first in the same run: an A/B.</summary>
    public IReadOnlyList<string> CompareSettings { get; init; } = [];

    /// <summary>Environment variables of the second gateway (<c>K=V</c>), e.g. runtime knobs such as <c>DOTNET_gcServer=0</c>.</summary>
    public IReadOnlyList<string> CompareEnvironment { get; init; } = [];

    /// <summary>Environment variables of the YARP baseline's process (<c>K=V</c>), to run it with the gateway's runtime settings.</summary>
    public IReadOnlyList<string> YarpEnvironment { get; init; } = [];

    /// <summary>
    /// Also measure the bare YARP baseline of earlier sessions (<c>yarp-slim</c>: the slim builder, no logging at all)
    /// beside the stock one, in the same alternation.
    /// </summary>
    public bool YarpSlim { get; init; }

    /// <summary>
    /// Also measure <c>nginx</c> (<see cref="NginxRelay"/>), a reverse proxy with no .NET in it, in the same alternation:
    /// the floor of a hop through a process of its own on this machine.
    /// </summary>
    public bool Nginx { get; init; }

    /// <summary>A folder with another build of FhirGateway.Api.dll to run as <c>gateway-b</c>: an A/B of two builds in one run.</summary>
    public string? CompareApi { get; init; }

    /// <summary>CPUs to start the proxies on (<c>taskset -c</c> list), or null for all (see <see cref="ProxyProcess.Cpus"/>).</summary>
    public string? ProxyCpus { get; init; }

    /// <summary>After the tables, each proxy's this many most-allocating types (0: none).</summary>
    public int AllocationTypes { get; init; }

    /// <summary>
    /// The FHIR server behind every target: <c>canned</c> (in this process, so fast that it is not the bottleneck) or
    /// <c>sandbox</c>, the project's SMART sandbox on Node (<see cref="SandboxUpstream"/>), the second case.
    /// </summary>
    public string Upstream { get; init; } = "canned";

    /// <summary>Measure a ~50 MB Bundle and NDJSON file instead (<see cref="LargeAnswerBench"/>).</summary>
    public bool Large { get; init; }

    /// <summary>Only the machine's wake-up cost (<see cref="WakeProbe"/>), then exit.</summary>
    public bool WakeProbeOnly { get; init; }

    /// <summary><c>memory</c> (the default run) or <c>redis</c> (<see cref="RedisStoreBench"/>).</summary>
    public string Store { get; init; } = "memory";

    /// <summary>host:port of a Redis to use with <c>--store redis</c>; null starts a redis-server child process.</summary>
    public string? Redis { get; init; }

    /// <summary>With <c>--store redis</c>: sessions to seed before measuring again.</summary>
    public int Sessions { get; init; }

    public const string Usage = """
        dotnet run -c Release --project bench/FhirGateway.ProxyBench -- [options]
          --duration <s>        measured seconds per run (default 6)
          --warmup <s>          warm-up seconds before each run (default 2); before the first, each .NET proxy is
                        warmed until its JIT stops compiling (up to 90 s)
          --connections <n,m>   closed-loop concurrency levels (default 16,64)
          --rounds <n>          slices per target, measured in alternation with the other targets (default 3)
          --interactions <a,b>  read, search or both (default read,search)
          --no-half-load        skip the open-loop runs at half of the gateway's saturated throughput
          --open-loop-share <f> run the open loop at this share of that throughput instead of 0.5 (e.g. 0.25)
          --otlp                the gateway exports traces, metrics and logs over OTLP (http/protobuf) to a sink
                                in this process, as deployed with a collector (without it the gateway collects none)
          --compare-otlp        gateway-b exports them so: telemetry's cost, side by side in one run
          --gateway-setting <k=v>  one more gateway setting (repeatable), e.g. FHIR_GATEWAY_AUDIT_STDOUT=false
                                to size the share of the audit trail on stdout
          --compare-setting <k=v>  also measure a second gateway, gateway-b, with this setting too (repeatable), in
                                the same alternation: an A/B within one run
          --compare-env <K=V>   run gateway-b with this environment variable too (repeatable), e.g. DOTNET_gcServer=0
          --yarp-env <K=V>      run the YARP baseline with this environment variable (repeatable)
          --yarp-slim           also measure yarp-slim: YARP on the slim builder with no logging at all (the
                                baseline until the eighth session), beside the stock-hosted one
          --nginx               also measure nginx (Debian's /usr/sbin/nginx, one worker) as a plain reverse proxy in the
                                same alternation: what a hop with no .NET in it adds on this machine
          --compare-api <dir>   run gateway-b from another build's FhirGateway.Api.dll (e.g. main's, built in a worktree)
          --proxy-cpus <list>   start every proxy under taskset -c <list> (e.g. 1), and start the bench itself under
                                taskset -c with the other CPUs (e.g. taskset -c 0 dotnet ...): a proxy on a core of its
                                own, apart from the load generator and upstream
          --allocation-types <n>  after the tables, each proxy's n most-allocating types (sampled by the GC's
                                allocation tick, every ~100 KB), with their share of its allocations
          --wake-probe          only the machine's wake-up cost (printed before every run too): a loopback round trip
                        between two idle threads on one core and on two
          --upstream <name>     canned (default: in this process, never the bottleneck) or sandbox: the SMART sandbox
                                on Node (npm ci in sandbox/), logged in through its form, tokens checked on every request
          --large               a ~50 MB Bundle and NDJSON file, direct and through each proxy process: MB/s, CPU and memory above idle
          --store redis         gateway read with the Redis token store, cache on and off: req/s and Redis commands
                                per request (INFO commandstats); starts redis-server unless --redis is given
          --redis <host:port>   use this Redis instead of starting one
          --sessions <n>        with --store redis: then seed n sessions, print bytes per session, measure again
        """;

    /// <summary>The options, or null (with the usage printed) when they cannot be read.</summary>
    public static BenchOptions? Parse(string[] args) =>
        BenchArgs.Parse(args, new BenchOptions(), Usage, static (options, flag, value) => flag switch
        {
            "--duration" => options with { Duration = Seconds(value()) },
            "--warmup" => options with { Warmup = Seconds(value()) },
            "--connections" => options with { Connections = [.. value().Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))] },
            "--rounds" => options with { Rounds = BenchArgs.Positive(value()) },
            "--interactions" => options with { Interactions = ParseInteractions(value()) },
            "--no-half-load" => options with { HalfLoad = false },
            "--open-loop-share" => options with { OpenLoopShare = Share(value()) },
            "--otlp" => options with { Otlp = true },
            "--compare-otlp" => options with { CompareOtlp = true },
            "--gateway-setting" => options with { GatewaySettings = [.. options.GatewaySettings, Setting(value())] },
            "--compare-setting" => options with { CompareSettings = [.. options.CompareSettings, Setting(value())] },
            "--compare-env" => options with { CompareEnvironment = [.. options.CompareEnvironment, Setting(value())] },
            "--yarp-env" => options with { YarpEnvironment = [.. options.YarpEnvironment, Setting(value())] },
            "--yarp-slim" => options with { YarpSlim = true },
            "--nginx" => options with { Nginx = true },
            "--compare-api" => options with { CompareApi = Path.GetFullPath(value()) },
            "--proxy-cpus" => options with { ProxyCpus = CpuList(value()) },
            "--allocation-types" => options with { AllocationTypes = BenchArgs.Positive(value()) },
            "--large" => options with { Large = true },
            "--upstream" => options with { Upstream = UpstreamName(value()) },
            "--wake-probe" => options with { WakeProbeOnly = true },
            "--store" => options with { Store = StoreName(value()) },
            "--redis" => options with { Redis = value() },
            "--sessions" => options with { Sessions = int.Parse(value(), CultureInfo.InvariantCulture) },
            _ => throw BenchArgs.Unknown(flag),
        });

    private static string UpstreamName(string value) =>
        value is "canned" or "sandbox" ? value : throw new FormatException("--upstream is canned or sandbox.");

    private static string StoreName(string value) =>
        value is "redis" or "memory" ? value : throw new FormatException("--store is memory or redis.");

    private static string[] ParseInteractions(string value) =>
        value.Split(',') is { Length: > 0 } names && names.All(n => n is "read" or "search")
            ? names
            : throw new FormatException("--interactions takes read, search or read,search.");

    private static string Setting(string value) =>
        value.IndexOf('=', StringComparison.Ordinal) > 0 ? value : throw new FormatException("--gateway-setting, --compare-setting, --compare-env and --yarp-env take key=value.");

    private static string CpuList(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiDigit(c) || c is ',' or '-')
            ? value
            : throw new FormatException("--proxy-cpus takes a taskset CPU list, e.g. 1 or 2-3.");

    private static double Share(string value) =>
        double.Parse(value, CultureInfo.InvariantCulture) is > 0 and <= 1 and var share ? share : throw new FormatException("--open-loop-share is above 0 and at most 1.");

    private static TimeSpan Seconds(string value) => TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));
}
