using FhirGateway.Core.Tokens;

namespace FhirGateway.Core.Tests.Tokens;

/// <summary>What every connection lock does, run against each backend.</summary>
public abstract class ConnectionLockContractTests(IBackendHarness harness) : IAsyncLifetime
{
    private static readonly TimeSpan LongLease = TimeSpan.FromMinutes(1);

    private Replica _replica = null!;
    private Replica _peer = null!;

    public async Task InitializeAsync()
    {
        _replica = await harness.CreateAsync();
        _peer = await harness.PeerOfAsync(_replica);
    }

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task TryAcquireAsync_ManyConcurrentOnTwoReplicas_ExactlyOneWins()
    {
        var owner = TestSettings.NewOwner();

        var handles = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(async () => await (i % 2 == 0 ? _replica : _peer).Lock.TryAcquireAsync(owner, "epic", LongLease))));

        Assert.Single(handles, h => h is not null);
    }

    [Fact]
    public async Task TryAcquireAsync_AfterRelease_Succeeds()
    {
        var owner = TestSettings.NewOwner();
        var first = await _replica.Lock.TryAcquireAsync(owner, "epic", LongLease);
        Assert.NotNull(first);
        Assert.Null(await _peer.Lock.TryAcquireAsync(owner, "epic", LongLease));

        await first.DisposeAsync();

        Assert.NotNull(await _peer.Lock.TryAcquireAsync(owner, "epic", LongLease));
    }

    [Fact]
    public async Task TryAcquireAsync_OtherOwnerOrPlatform_IsIndependent()
    {
        var owner = TestSettings.NewOwner();
        Assert.NotNull(await _replica.Lock.TryAcquireAsync(owner, "epic", LongLease));

        Assert.NotNull(await _peer.Lock.TryAcquireAsync(owner, "cerner", LongLease));
        Assert.NotNull(await _peer.Lock.TryAcquireAsync(TestSettings.NewOwner(), "epic", LongLease));
    }

    [Fact]
    public async Task TryAcquireAsync_LeaseEnded_FreesLockAndOldHolderCannotReleaseNewOne()
    {
        var owner = TestSettings.NewOwner();
        var expired = await _replica.Lock.TryAcquireAsync(owner, "epic", TimeSpan.FromMilliseconds(300));
        Assert.NotNull(expired);

        await harness.PassAsync(TimeSpan.FromMilliseconds(600));
        var current = await _peer.Lock.TryAcquireAsync(owner, "epic", LongLease);
        Assert.NotNull(current);

        // The first holder wakes up late and releases: that must not free the new holder's lease.
        await expired.DisposeAsync();
        Assert.Null(await _replica.Lock.TryAcquireAsync(owner, "epic", LongLease));
    }
}
