using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FhirGateway.ProxyBench;

/// <summary>
/// A proxy under test in a process of its own, as it is deployed: its CPU time and allocations are its own, and
/// its telemetry listeners see only its own requests. Output goes to a log file (the gateway's audit events among
/// it), stopped with the benchmark.
/// </summary>
internal sealed class ProxyProcess : IAsyncDisposable
{
    private readonly Process _process;
    private GcMeter? _gc;
    private JitMeter? _jit;
    private string? _scratch;

    private ProxyProcess(Process process, int port, string logFile)
    {
        _process = process;
        Port = port;
        LogFile = logFile;
    }

    public int Port { get; }

    /// <summary>
    /// CPUs every proxy process is started on (<c>taskset -c</c>, e.g. <c>1</c>), or null for all: with the bench
    /// itself started under <c>taskset -c 0</c>, a proxy has a core the load generator and upstream do not share
    /// (<c>--proxy-cpus</c>). Set once, before the first proxy starts.
    /// </summary>
    public static string? Cpus { get; set; }

    public string Origin => $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public string LogFile { get; }

    /// <summary>User and system CPU the process has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Its resident memory now: <c>/proc/{pid}/statm</c>'s resident pages (Linux), safe to read from several threads.</summary>
    public long WorkingSet =>
        long.Parse(File.ReadAllText($"/proc/{_process.Id}/statm").Split(' ')[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;

    /// <summary>How often each of its threads has left the CPU so far (see <see cref="ContextSwitches"/>).</summary>
    public IReadOnlyDictionary<string, ContextSwitches> ThreadSwitches => ContextSwitches.ReadThreads(_process.Id);

    /// <summary>A folder of the process's own (its configuration, its temp files), deleted with it.</summary>
    public ProxyProcess DeleteOnDispose(string directory)
    {
        _scratch = directory;
        return this;
    }

    /// <summary>Whether <see cref="AllocatedBytesAsync"/> means anything: the process runs on .NET.</summary>
    public bool MeasuresAllocations => _gc is not null;

    /// <summary>Its JIT's compilations (see <see cref="JitMeter"/>); null for a process that is not .NET.</summary>
    public JitMeter? Jit => _jit;

    /// <summary>Bytes allocated so far (see <see cref="GcMeter"/>); 0 for a process that is not .NET.</summary>
    public Task<long> AllocatedBytesAsync() => _gc?.SettledBytesAsync() ?? Task.FromResult(0L);

    /// <summary>The types that allocated most since the start (see <see cref="GcMeter.TopTypes"/>).</summary>
    public IReadOnlyList<(string Type, double Share)> TopAllocatedTypes(int count) => _gc?.TopTypes(count) ?? [];

    /// <summary>Its garbage collector's pauses between two <see cref="System.Diagnostics.Stopwatch"/> timestamps (see <see cref="GcMeter.PausesBetween"/>); none for a process that is not .NET.</summary>
    public GcPause[] GcPausesBetween(long from, long to) => _gc?.PausesBetween(from, to) ?? [];

    /// <summary>
    /// Starts <c>dotnet <paramref name="arguments"/></c> with <paramref name="environment"/> added, output to a temp
    /// file, and waits until <paramref name="readyPath"/> answers 2xx on the chosen port.
    /// </summary>
    public static Task<ProxyProcess> StartAsync(
        string name, int port, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string readyPath, string? workingDirectory = null) =>
        StartAsync(name, port, "dotnet", arguments, environment, readyPath, workingDirectory);

    /// <summary>
    /// The same for any program (<see cref="NginxRelay"/>); allocations are measured only for <c>dotnet</c>, whose
    /// runtime reports them.
    /// </summary>
    public static async Task<ProxyProcess> StartAsync(
        string name, int port, string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string readyPath,
        string? workingDirectory = null)
    {
        var logFile = Path.Combine(Path.GetTempPath(), $"fhirgw-proxybench-{name}-{Environment.ProcessId}.log");
        // A shell only to send the output to a file; exec leaves the program with the shell's process id.
        var start = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        start.ArgumentList.Add("-c");
        // taskset execs the program in turn, so the process id stays the program's.
        start.ArgumentList.Add(Cpus is null
            ? "exec \"$0\" \"$@\" > \"$FHIRGW_BENCH_LOG\" 2>&1"
            : "exec taskset -c \"$FHIRGW_BENCH_CPUS\" \"$0\" \"$@\" > \"$FHIRGW_BENCH_LOG\" 2>&1");
        start.ArgumentList.Add(program);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["FHIRGW_BENCH_LOG"] = logFile;
        if (Cpus is not null)
        {
            start.Environment["FHIRGW_BENCH_CPUS"] = Cpus;
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {name}.");
        var proxy = new ProxyProcess(process, port, logFile);
        try
        {
            await proxy.WaitReadyAsync(name, readyPath);
            proxy._gc = program == "dotnet" ? await GcMeter.StartAsync(process.Id) : null;
            proxy._jit = program == "dotnet" ? await JitMeter.StartAsync(process.Id) : null;
            return proxy;
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
    }

    /// <summary>A proxy process's environment: the <see cref="Deployed"/> settings, then <c>K=V</c> strings (checked by the option parser) over them.</summary>
    public static Dictionary<string, string> Variables(IEnumerable<string> variables)
    {
        var environment = new Dictionary<string, string>(Deployed, StringComparer.Ordinal);
        foreach (var pair in variables.Select(v => v.Split('=', 2)))
        {
            environment[pair[0]] = pair[1];
        }

        return environment;
    }

    /// <summary>
    /// The runtime settings the AppHost deploys the Api with (FhirGateway.AppHost/AppHost.cs), given to every proxy
    /// process alike (gateway and YARP), so neither is measured with a knob the other lacks; <c>--compare-env</c> and
    /// <c>--yarp-env</c> override them (e.g. =0). The bench process itself (load generator, upstream) runs without them.
    /// </summary>
    private static readonly Dictionary<string, string> Deployed = new(StringComparer.Ordinal)
    {
        ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1",
        ["DOTNET_GCgen0size"] = "0x1000000",
    };

    /// <summary>A free port on 127.0.0.1 for a child to listen on.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitReadyAsync(string name, string readyPath)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                break;
            }

            try
            {
                using var answer = await client.GetAsync(new Uri(Origin + readyPath));
                if (answer.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening, but not answering within the client's timeout yet (a slow start on one core under a profiler).
            }

            await Task.Delay(200);
        }

        var log = File.Exists(LogFile) ? await File.ReadAllTextAsync(LogFile) : "";
        throw new InvalidOperationException($"{name} did not start on {Origin}{readyPath}:{Environment.NewLine}{log[Math.Max(0, log.Length - 4000)..]}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_gc is not null)
        {
            await _gc.DisposeAsync();
        }

        if (_jit is not null)
        {
            await _jit.DisposeAsync();
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        File.Delete(LogFile);
        if (_scratch is not null)
        {
            Directory.Delete(_scratch, recursive: true);
        }
    }
}
