using FhirGateway.Core.Hosting;

namespace FhirGateway.Core.Tests.Hosting;

/// <summary>
/// A pooled deadline: cancelled by its timeout or its caller, told apart; and a source that served one
/// call never carries that call's timer, caller or cancellation into the next (the pool is shared by the whole process,
/// so each test holds whether or not it gets the same source back).
/// </summary>
public sealed class DeadlineTests
{
    private static readonly TimeSpan Long = TimeSpan.FromHours(1);

    [Fact]
    public async Task Timeout_CancelsTheToken_AndIsExpired()
    {
        using var deadline = Deadline.Start(TimeSpan.FromMilliseconds(20), CancellationToken.None);

        await WaitForAsync(deadline.Token);

        Assert.True(deadline.Expired);
    }

    [Fact]
    public void CallerCancels_CancelsTheToken_AndIsNotExpired()
    {
        using var caller = new CancellationTokenSource();
        using var deadline = Deadline.Start(Long, caller.Token);

        caller.Cancel();

        Assert.True(deadline.Token.IsCancellationRequested);
        Assert.False(deadline.Expired);
    }

    [Fact]
    public void CallerAlreadyCancelled_TokenCancelledAtOnce()
    {
        using var caller = new CancellationTokenSource();
        caller.Cancel();

        using var deadline = Deadline.Start(Long, caller.Token);

        Assert.True(deadline.Token.IsCancellationRequested);
        Assert.False(deadline.Expired);
    }

    [Fact]
    public void NextCall_NotCancelledByTheCallerOfTheLast()
    {
        using var earlier = new CancellationTokenSource();
        Deadline.Start(Long, earlier.Token).Dispose();
        using var next = Deadline.Start(Long, CancellationToken.None);

        earlier.Cancel();

        Assert.False(next.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task NextCall_NotCancelledByTheTimerOfTheLast()
    {
        Deadline.Start(TimeSpan.FromMilliseconds(30), CancellationToken.None).Dispose();
        using var next = Deadline.Start(Long, CancellationToken.None);

        await Task.Delay(200);

        Assert.False(next.Token.IsCancellationRequested);
        Assert.False(next.Expired);
    }

    [Fact]
    public async Task ExpiredDeadline_NotReused()
    {
        var expired = Deadline.Start(TimeSpan.FromMilliseconds(1), CancellationToken.None);
        await WaitForAsync(expired.Token);
        expired.Dispose();

        using var next = Deadline.Start(Long, CancellationToken.None);

        Assert.NotSame(expired, next);
        Assert.False(next.Token.IsCancellationRequested);
    }

    [Fact]
    public void DisposedTwice_ServesOneCallAtATime()
    {
        var once = Deadline.Start(Long, CancellationToken.None);
        once.Dispose();
        once.Dispose();

        using var first = Deadline.Start(Long, CancellationToken.None);
        using var second = Deadline.Start(Long, CancellationToken.None);

        Assert.NotSame(first, second);
    }

    [Fact]
    public void ManyReturned_PoolStaysBounded()
    {
        var leased = Enumerable.Range(0, Deadline.MaxPooled + 50).Select(_ => Deadline.Start(Long, CancellationToken.None)).ToList();

        leased.ForEach(d => d.Dispose());

        Assert.InRange(Deadline.Pooled, 1, Deadline.MaxPooled);
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
