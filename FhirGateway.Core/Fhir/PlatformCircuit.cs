namespace FhirGateway.Core.Fhir;

/// <summary>
/// One platform's circuit breaker. Closed, every call goes through and its outcome is counted in a rolling window of
/// <see cref="SamplingDuration"/>; when at least <see cref="MinimumThroughput"/> calls in the window have a
/// <see cref="FailureRatio"/> or more of transient failures, the circuit opens: for <see cref="BreakDuration"/> calls
/// are refused (<see cref="PlatformPausedException"/>) without reaching the platform. Then one trial call goes
/// through while the others are still refused: its success closes the circuit (and starts a new window), its failure
/// opens it again. Calls that started before the circuit opened count for nothing once it has.
/// </summary>
/// <remarks>
/// Polly's breaker with the same settings did this until the eighth session; this one keeps a closed circuit's path to
/// a field read and a short lock per call, where Polly's nested strategies cost ~3 µs and ~1 KB per proxied read
/// (ProxyBench profile, 2026-11-29).
/// </remarks>
internal sealed class PlatformCircuit(TimeProvider time)
{
    public const double FailureRatio = 0.5;
    public const int MinimumThroughput = 10;
    public static readonly TimeSpan SamplingDuration = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(15);

    /// <summary>The window is counted in this many slices, each dropped whole as it ages out.</summary>
    private const int Slices = 10;

    private readonly long _sliceTicks = (long)(SamplingDuration.TotalSeconds / Slices * time.TimestampFrequency);
    private readonly Lock _lock = new();
    private readonly long[] _sliceIds = new long[Slices];
    private readonly int[] _calls = new int[Slices];
    private readonly int[] _failures = new int[Slices];
    private volatile CircuitState _state;
    private DateTimeOffset _openUntil;

    public CircuitState State => _state;

    /// <summary>
    /// Lets a call through, or throws <see cref="PlatformPausedException"/> while the circuit is open. True when this
    /// call is the trial that decides whether it closes; every call let through must be <see cref="Record"/>ed.
    /// </summary>
    public bool Enter()
    {
        if (_state == CircuitState.Closed)
        {
            return false;
        }

        lock (_lock)
        {
            switch (_state)
            {
                case CircuitState.Closed:
                    return false;
                case CircuitState.Open when time.GetUtcNow() >= _openUntil:
                    _state = CircuitState.Trial;
                    return true;
                default:
                    throw new PlatformPausedException(_state == CircuitState.Open ? _openUntil - time.GetUtcNow() : BreakDuration);
            }
        }
    }

    /// <summary>A call's outcome: <paramref name="failed"/> when it failed transiently (see <see cref="PlatformResilience"/>).</summary>
    public void Record(bool failed, bool trial)
    {
        lock (_lock)
        {
            if (trial)
            {
                if (failed)
                {
                    Open();
                }
                else
                {
                    Array.Clear(_calls);
                    Array.Clear(_failures);
                    _state = CircuitState.Closed;
                }

                return;
            }

            if (_state != CircuitState.Closed)
            {
                return;
            }

            var id = time.GetTimestamp() / _sliceTicks;
            var slice = (int)(id % Slices);
            if (_sliceIds[slice] != id)
            {
                _sliceIds[slice] = id;
                _calls[slice] = 0;
                _failures[slice] = 0;
            }

            _calls[slice]++;
            if (!failed)
            {
                return;
            }

            _failures[slice]++;
            int calls = 0, failures = 0;
            for (var i = 0; i < Slices; i++)
            {
                if (_sliceIds[i] > id - Slices)
                {
                    calls += _calls[i];
                    failures += _failures[i];
                }
            }

            if (calls >= MinimumThroughput && failures >= FailureRatio * calls)
            {
                Open();
            }
        }
    }

    private void Open()
    {
        _openUntil = time.GetUtcNow() + BreakDuration;
        _state = CircuitState.Open;
    }
}

/// <summary>Where a <see cref="PlatformCircuit"/> stands.</summary>
internal enum CircuitState
{
    /// <summary>Calls go through and are counted.</summary>
    Closed,

    /// <summary>Calls are refused until the break is over.</summary>
    Open,

    /// <summary>One trial call is out; the others are refused until it is back.</summary>
    Trial,
}

/// <summary>The platform's circuit is open: the call was not sent (503, <see cref="UpstreamFailures"/>).</summary>
internal sealed class PlatformPausedException(TimeSpan remaining)
    : Exception("Calls to this platform are paused after repeated failures.")
{
    /// <summary>How long the pause has left, about.</summary>
    public TimeSpan Remaining { get; } = remaining;
}
