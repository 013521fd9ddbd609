using FhirGateway.Core.Tokens;

namespace FhirGateway.Core.Tests.Tokens;

/// <summary>What every connection event bus does, run against each backend.</summary>
public abstract class ConnectionEventsContractTests(IBackendHarness harness) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private Replica _replica = null!;
    private Replica _peer = null!;

    public async Task InitializeAsync()
    {
        _replica = await harness.CreateAsync();
        _peer = await harness.PeerOfAsync(_replica);
    }

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task NextAsync_PublishedOnOtherReplica_ArrivesWithKindAndMessage()
    {
        var owner = TestSettings.NewOwner();
        await using var listener = await _replica.Events.ListenAsync(owner, "epic");

        await _peer.Events.PublishAsync(new ConnectionEvent(owner, "epic", ConnectionEventKind.Failed, "Refresh was refused."));

        using var timeout = new CancellationTokenSource(Wait);
        var received = await listener.NextAsync(timeout.Token);
        Assert.Equal(new ConnectionEvent(owner, "epic", ConnectionEventKind.Failed, "Refresh was refused."), received);
    }

    [Fact]
    public async Task NextAsync_EventsForOthers_AreNotDelivered()
    {
        var owner = TestSettings.NewOwner();
        await using var listener = await _replica.Events.ListenAsync(owner, "epic");

        await _peer.Events.PublishAsync(new ConnectionEvent(TestSettings.NewOwner(), "epic", ConnectionEventKind.Connected));
        await _peer.Events.PublishAsync(new ConnectionEvent(owner, "cerner", ConnectionEventKind.Connected));
        await _peer.Events.PublishAsync(new ConnectionEvent(owner, "epic", ConnectionEventKind.Removed));

        // One channel keeps publication order: the first event this listener sees is its own.
        using var timeout = new CancellationTokenSource(Wait);
        Assert.Equal(ConnectionEventKind.Removed, (await listener.NextAsync(timeout.Token)).Kind);
    }

    [Fact]
    public async Task NextAsync_PublishedBeforeWaiting_IsBufferedInOrder()
    {
        var owner = TestSettings.NewOwner();
        await using var first = await _replica.Events.ListenAsync(owner, "epic");
        await using var second = await _replica.Events.ListenAsync(owner, "epic");

        await _peer.Events.PublishAsync(new ConnectionEvent(owner, "epic", ConnectionEventKind.Connected));
        await _peer.Events.PublishAsync(new ConnectionEvent(owner, "epic", ConnectionEventKind.Refreshed));

        using var timeout = new CancellationTokenSource(Wait);
        Assert.Equal(ConnectionEventKind.Connected, (await first.NextAsync(timeout.Token)).Kind);
        Assert.Equal(ConnectionEventKind.Refreshed, (await first.NextAsync(timeout.Token)).Kind);
        Assert.Equal(ConnectionEventKind.Connected, (await second.NextAsync(timeout.Token)).Kind);
    }
}
