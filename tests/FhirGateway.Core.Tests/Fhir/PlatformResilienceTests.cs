using System.Net;
using FhirGateway.Core.Fhir;

namespace FhirGateway.Core.Tests.Fhir;

/// <summary>Retries with the real clock: the two delays of a fully repeated call are at most 0.3 + 0.6 s.</summary>
public sealed class PlatformResilienceTests
{
    private readonly PlatformResilience _resilience = new(new PlatformCircuit(TimeProvider.System), TimeProvider.System);

    [Fact]
    public async Task SafeRequest_TransientTwiceThenOk_RepeatedAndTheAnswerIsTheLast()
    {
        var answers = new Queue<HttpStatusCode>([HttpStatusCode.ServiceUnavailable, HttpStatusCode.TooManyRequests, HttpStatusCode.OK]);

        using var response = await SendAsync(safe: true, () => answers.Dequeue());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(answers);
    }

    [Fact]
    public async Task SafeRequest_AlwaysTransient_ThreeCallsThenTheLastAnswer()
    {
        var calls = 0;

        using var response = await SendAsync(safe: true, () => { calls++; return HttpStatusCode.BadGateway; });

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(1 + PlatformResilience.MaxRetries, calls);
    }

    [Theory]
    [InlineData(true, HttpStatusCode.NotFound)] // not transient: the platform's answer
    [InlineData(true, HttpStatusCode.InternalServerError)] // a 500 may not be worth repeating: relayed
    [InlineData(false, HttpStatusCode.ServiceUnavailable)] // not safe: never repeated
    public async Task NotRepeated(bool safe, HttpStatusCode status)
    {
        var calls = 0;

        using var response = await SendAsync(safe, () => { calls++; return status; });

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task SafeRequest_ConnectionFailsEveryTime_ThreeCallsThenTheFailure()
    {
        var calls = 0;

        await Assert.ThrowsAsync<HttpRequestException>(() => _resilience.SendAsync(
            0, (_, _) => { calls++; return Task.FromException<HttpResponseMessage>(new HttpRequestException("refused")); }, safe: true, CancellationToken.None));

        Assert.Equal(1 + PlatformResilience.MaxRetries, calls);
    }

    [Fact]
    public async Task CircuitOpen_NothingSent()
    {
        for (var i = 0; i < PlatformCircuit.MinimumThroughput; i++)
        {
            using var _ = await SendAsync(safe: false, () => HttpStatusCode.ServiceUnavailable);
        }

        var calls = 0;
        await Assert.ThrowsAsync<PlatformPausedException>(() => SendAsync(safe: true, () => { calls++; return HttpStatusCode.OK; }));

        Assert.Equal(0, calls);
        Assert.Equal(CircuitState.Open, _resilience.Circuit.State);
    }

    [Fact]
    public async Task CallerCancelled_NotAFailureOfThePlatform()
    {
        for (var i = 0; i < PlatformCircuit.MinimumThroughput; i++)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _resilience.SendAsync(
                0, (_, _) => Task.FromCanceled<HttpResponseMessage>(new CancellationToken(true)), safe: true, CancellationToken.None));
        }

        Assert.Equal(CircuitState.Closed, _resilience.Circuit.State);
    }

    private Task<HttpResponseMessage> SendAsync(bool safe, Func<HttpStatusCode> answer) =>
        _resilience.SendAsync(answer, static (next, _) => Task.FromResult(new HttpResponseMessage(next())), safe, CancellationToken.None);
}
