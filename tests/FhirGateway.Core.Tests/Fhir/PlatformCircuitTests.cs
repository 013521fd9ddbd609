using FhirGateway.Core.Fhir;
using Microsoft.Extensions.Time.Testing;

namespace FhirGateway.Core.Tests.Fhir;

public sealed class PlatformCircuitTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Fact]
    public void FewerCallsThanTheMinimum_AllFailed_StaysClosed()
    {
        var circuit = new PlatformCircuit(_time);

        Record(circuit, failures: PlatformCircuit.MinimumThroughput - 1, successes: 0);

        Assert.Equal(CircuitState.Closed, circuit.State);
        Assert.False(circuit.Enter());
    }

    [Fact]
    public void HalfOfTheMinimumFailed_Opens_CallsRefusedUntilTheBreakIsOver()
    {
        var circuit = new PlatformCircuit(_time);

        Record(circuit, failures: 0, successes: PlatformCircuit.MinimumThroughput / 2);
        Record(circuit, failures: PlatformCircuit.MinimumThroughput / 2, successes: 0);

        Assert.Equal(CircuitState.Open, circuit.State);
        var paused = Assert.Throws<PlatformPausedException>(() => circuit.Enter());
        Assert.Equal(PlatformCircuit.BreakDuration, paused.Remaining);
        _time.Advance(PlatformCircuit.BreakDuration - TimeSpan.FromSeconds(1));
        Assert.Throws<PlatformPausedException>(() => circuit.Enter());
    }

    [Fact]
    public void LessThanHalfFailed_StaysClosed()
    {
        var circuit = new PlatformCircuit(_time);

        Record(circuit, failures: 4, successes: 6);

        Assert.Equal(CircuitState.Closed, circuit.State);
    }

    [Fact]
    public void FailuresOlderThanTheWindow_NoLongerCount()
    {
        var circuit = new PlatformCircuit(_time);
        Record(circuit, failures: PlatformCircuit.MinimumThroughput - 1, successes: 0);

        _time.Advance(PlatformCircuit.SamplingDuration + TimeSpan.FromSeconds(1));
        Record(circuit, failures: 0, successes: PlatformCircuit.MinimumThroughput - 1);
        Record(circuit, failures: 1, successes: 0);

        // 19 calls with 10 failures had they all counted; in the window, 10 calls with one failure.
        Assert.Equal(CircuitState.Closed, circuit.State);
    }

    [Fact]
    public void AfterTheBreak_OneTrialWhileOthersAreRefused_ItsSuccessCloses()
    {
        var circuit = Opened();
        _time.Advance(PlatformCircuit.BreakDuration);

        var trial = circuit.Enter();

        Assert.True(trial);
        Assert.Equal(CircuitState.Trial, circuit.State);
        Assert.Throws<PlatformPausedException>(() => circuit.Enter());
        circuit.Record(failed: false, trial);
        Assert.Equal(CircuitState.Closed, circuit.State);
        Assert.False(circuit.Enter());
        // A new window: nine failures after closing are below the minimum again.
        Record(circuit, failures: PlatformCircuit.MinimumThroughput - 1, successes: 0);
        Assert.Equal(CircuitState.Closed, circuit.State);
    }

    [Fact]
    public void TheTrialFails_OpensForAnotherBreak()
    {
        var circuit = Opened();
        _time.Advance(PlatformCircuit.BreakDuration);

        circuit.Record(failed: true, trial: circuit.Enter());

        Assert.Equal(CircuitState.Open, circuit.State);
        _time.Advance(PlatformCircuit.BreakDuration - TimeSpan.FromSeconds(1));
        Assert.Throws<PlatformPausedException>(() => circuit.Enter());
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(circuit.Enter());
    }

    [Fact]
    public void CallsStartedBeforeItOpened_DoNotCloseIt()
    {
        var circuit = Opened();

        circuit.Record(failed: false, trial: false);

        Assert.Equal(CircuitState.Open, circuit.State);
    }

    private PlatformCircuit Opened()
    {
        var circuit = new PlatformCircuit(_time);
        Record(circuit, failures: PlatformCircuit.MinimumThroughput, successes: 0);
        Assert.Equal(CircuitState.Open, circuit.State);
        return circuit;
    }

    private static void Record(PlatformCircuit circuit, int failures, int successes)
    {
        for (var i = 0; i < successes; i++)
        {
            circuit.Record(failed: false, trial: circuit.Enter());
        }

        for (var i = 0; i < failures; i++)
        {
            circuit.Record(failed: true, trial: circuit.Enter());
        }
    }
}
