using FhirGateway.Core.Tokens;

namespace FhirGateway.Core.Tests.Tokens;

/// <summary>What every token store does, run against each backend.</summary>
public abstract class TokenStoreContractTests(IBackendHarness harness) : IAsyncLifetime
{
    private Replica _replica = null!;

    protected IBackendHarness Harness => harness;

    private ITokenStore Store => _replica.Store;

    private DateTimeOffset Now => harness.Time.GetUtcNow();

    public async Task InitializeAsync() => _replica = await harness.CreateAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task GetAsync_Saved_ReturnsEqualConnection()
    {
        var owner = TestSettings.NewOwner();
        var saved = TestSettings.Connection("epic", Now) with { Encounter = "Encounter/9", RefreshedAt = Now, TokenType = "bearer" };

        await Store.SaveAsync(owner, saved);

        Assert.Equal(saved, await Store.GetAsync(owner, "epic"));
    }

    [Fact]
    public async Task GetAsync_NothingSaved_ReturnsNull()
    {
        var owner = TestSettings.NewOwner();
        await Store.SaveAsync(owner, TestSettings.Connection("epic", Now));

        Assert.Null(await Store.GetAsync(owner, "cerner"));
        Assert.Null(await Store.GetAsync(TestSettings.NewOwner(), "epic"));
    }

    [Fact]
    public async Task SaveAsync_SamePlatformAgain_ReplacesConnection()
    {
        var owner = TestSettings.NewOwner();
        await Store.SaveAsync(owner, TestSettings.Connection("epic", Now, "first"));

        await Store.SaveAsync(owner, TestSettings.Connection("epic", Now, "second"));

        Assert.Equal("second", (await Store.GetAsync(owner, "epic"))?.AccessToken);
        Assert.Single(await Store.ListAsync(owner));
    }

    [Fact]
    public async Task ListAsync_SeveralPlatforms_ReturnsEachByPlatformId()
    {
        var owner = TestSettings.NewOwner();
        await Store.SaveAsync(owner, TestSettings.Connection("epic", Now));
        await Store.SaveAsync(owner, TestSettings.Connection("cerner", Now));

        var listed = await Store.ListAsync(owner);

        Assert.Equal(["cerner", "epic"], listed.Select(c => c.PlatformId));
        Assert.Empty(await Store.ListAsync(TestSettings.NewOwner()));
    }

    [Fact]
    public async Task RemoveAsync_Saved_RemovesOnlyThatPlatform()
    {
        var owner = TestSettings.NewOwner();
        await Store.SaveAsync(owner, TestSettings.Connection("epic", Now));
        await Store.SaveAsync(owner, TestSettings.Connection("cerner", Now));

        Assert.True(await Store.RemoveAsync(owner, "epic"));

        Assert.Null(await Store.GetAsync(owner, "epic"));
        Assert.NotNull(await Store.GetAsync(owner, "cerner"));
        Assert.False(await Store.RemoveAsync(owner, "epic"));
    }

    [Fact]
    public async Task GetAsync_OtherOwner_SeesNothingOfTheFirst()
    {
        var alice = TestSettings.NewOwner();
        var bob = TestSettings.NewOwner();
        await Store.SaveAsync(alice, TestSettings.Connection("epic", Now, "alice-token"));
        await Store.SaveAsync(bob, TestSettings.Connection("epic", Now, "bob-token"));

        Assert.Equal("alice-token", (await Store.GetAsync(alice, "epic"))?.AccessToken);
        Assert.Equal("bob-token", (await Store.GetAsync(bob, "epic"))?.AccessToken);
        Assert.True(await Store.RemoveAsync(bob, "epic"));
        Assert.NotNull(await Store.GetAsync(alice, "epic"));
    }

    [Fact]
    public async Task TakePendingAsync_Saved_ReturnsItOnce()
    {
        var pending = TestSettings.Pending(TestSettings.NewOwner(), Now, TimeSpan.FromMinutes(10));
        await Store.SavePendingAsync(pending);

        Assert.Equal(pending, await Store.TakePendingAsync(pending.State));
        Assert.Null(await Store.TakePendingAsync(pending.State));
        Assert.Null(await Store.TakePendingAsync("never-issued"));
    }

    [Fact]
    public async Task TakePendingAsync_ConcurrentTakesOnTwoReplicas_ExactlyOneWins()
    {
        var peer = await harness.PeerOfAsync(_replica);
        for (var round = 0; round < 20; round++)
        {
            var pending = TestSettings.Pending(TestSettings.NewOwner(), Now, TimeSpan.FromMinutes(10));
            await Store.SavePendingAsync(pending);

            var takes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
                Task.Run(async () => await (i % 2 == 0 ? Store : peer.Store).TakePendingAsync(pending.State))));

            Assert.Single(takes, t => t is not null);
        }
    }

    [Fact]
    public async Task TakePendingAsync_AfterExpiresAt_ReturnsNull()
    {
        var pending = TestSettings.Pending(TestSettings.NewOwner(), Now, TimeSpan.FromMilliseconds(300));
        await Store.SavePendingAsync(pending);

        await harness.PassAsync(TimeSpan.FromMilliseconds(600));

        Assert.Null(await Store.TakePendingAsync(pending.State));
    }

    [Fact]
    public async Task GetAsync_UsedWithinMaxAge_SlidesSessionThenExpiresUnused()
    {
        // On Redis the time passes for real: gaps of 3.5 s against a 6 s age leave 2.5 s for a loaded machine (in one
        // CI run a 2.5 s gap lasted over 4 s), and the two gaps together (7 s) outlast the age, so only sliding
        // explains the second read.
        var store = (await harness.CreateAsync(TestSettings.WithKey(sessionMaxAge: TimeSpan.FromSeconds(6)))).Store;
        var owner = TestSettings.NewOwner();
        await store.SaveAsync(owner, TestSettings.Connection("epic", Now));

        await harness.PassAsync(TimeSpan.FromMilliseconds(3500));
        Assert.NotNull(await store.GetAsync(owner, "epic"));
        await harness.PassAsync(TimeSpan.FromMilliseconds(3500));
        Assert.NotNull(await store.GetAsync(owner, "epic"));

        await harness.PassAsync(TimeSpan.FromMilliseconds(7000));
        Assert.Null(await store.GetAsync(owner, "epic"));
        Assert.Empty(await store.ListAsync(owner));
    }
}
