using FhirGateway.Core.Fhir;

namespace FhirGateway.Core.Tests.Fhir;

/// <summary>
/// A platform call's pooled deadline: cancelled by its timeout or its caller, told apart; and a source that served one
/// call never carries that call's timer, caller or cancellation into the next (the pool is shared by the whole process,
/// so each test holds whether or not it gets the same source back).
/// </summary>
public sealed class UpstreamDeadlineTests
{
    private static readonly TimeSpan Long = TimeSpan.FromHours(1);

    [Fact]
    public async Task Timeout_CancelsTheToken_AndIsExpired()
    {
        using var deadline = UpstreamDeadline.Start(TimeSpan.FromMilliseconds(20), CancellationToken.None);

        await WaitForAsync(deadline.Token);

        Assert.True(deadline.Expired);
    }

    [Fact]
    public void CallerCancels_CancelsTheToken_AndIsNotExpired()
    {
        using var caller = new CancellationTokenSource();
        using var deadline = UpstreamDeadline.Start(Long, caller.Token);

        caller.Cancel();

        Assert.True(deadline.Token.IsCancellationRequested);
        Assert.False(deadline.Expired);
    }

    [Fact]
    public void CallerAlreadyCancelled_TokenCancelledAtOnce()
    {
        using var caller = new CancellationTokenSource();
        caller.Cancel();

        using var deadline = UpstreamDeadline.Start(Long, caller.Token);

        Assert.True(deadline.Token.IsCancellationRequested);
        Assert.False(deadline.Expired);
    }

    [Fact]
    public void NextCall_NotCancelledByTheCallerOfTheLast()
    {
        using var earlier = new CancellationTokenSource();
        UpstreamDeadline.Start(Long, earlier.Token).Dispose();
        using var next = UpstreamDeadline.Start(Long, CancellationToken.None);

        earlier.Cancel();

        Assert.False(next.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task NextCall_NotCancelledByTheTimerOfTheLast()
    {
        UpstreamDeadline.Start(TimeSpan.FromMilliseconds(30), CancellationToken.None).Dispose();
        using var next = UpstreamDeadline.Start(Long, CancellationToken.None);

        await Task.Delay(200);

        Assert.False(next.Token.IsCancellationRequested);
        Assert.False(next.Expired);
    }

    [Fact]
    public async Task ExpiredDeadline_NotReused()
    {
        var expired = UpstreamDeadline.Start(TimeSpan.FromMilliseconds(1), CancellationToken.None);
        await WaitForAsync(expired.Token);
        expired.Dispose();

        using var next = UpstreamDeadline.Start(Long, CancellationToken.None);

        Assert.NotSame(expired, next);
        Assert.False(next.Token.IsCancellationRequested);
    }

    [Fact]
    public void DisposedTwice_ServesOneCallAtATime()
    {
        var once = UpstreamDeadline.Start(Long, CancellationToken.None);
        once.Dispose();
        once.Dispose();

        using var first = UpstreamDeadline.Start(Long, CancellationToken.None);
        using var second = UpstreamDeadline.Start(Long, CancellationToken.None);

        Assert.NotSame(first, second);
    }

    [Fact]
    public void ManyReturned_PoolStaysBounded()
    {
        var leased = Enumerable.Range(0, UpstreamDeadline.MaxPooled + 50).Select(_ => UpstreamDeadline.Start(Long, CancellationToken.None)).ToList();

        leased.ForEach(d => d.Dispose());

        Assert.InRange(UpstreamDeadline.Pooled, 1, UpstreamDeadline.MaxPooled);
    }

    private static async Task WaitForAsync(CancellationToken token)
    {
        var cancelled = new TaskCompletionSource();
        using (token.Register(cancelled.SetResult))
        {
            await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        }
    }
}
