using System.Collections.Concurrent;
using FhirGateway.Core.Tokens.Protection;
using Microsoft.Extensions.Options;

namespace FhirGateway.Core.Tokens.InMemory;

/// <summary>
/// The development store: process memory, with the same sealing and names as Redis so both take one code path.
/// Expired sessions and pending authorizations are dropped when touched and by a sweep at most once a minute.
/// A connection read is kept open (decrypted) for <see cref="TokenStoreOptions.TokenCacheDuration"/>, as the Redis
/// store's cache does, so a proxied request costs no decryption; every write replaces the entry, so the copy is
/// never stale, and the sweep drops copies older than that.
/// </summary>
internal sealed class InMemoryTokenStore(TokenSealer sealer, StorageNames names, IOptions<TokenStoreOptions> options, TimeProvider time)
    : ITokenStore
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, OwnerConnections> _owners = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SealedPending> _pending = new(StringComparer.Ordinal);
    private readonly TimeSpan _maxAge = options.Value.SessionMaxAge;
    private readonly TimeSpan _openFor = options.Value.TokenCacheDuration;
    private long _nextSweep;

    public ValueTask<PlatformConnection?> GetAsync(OwnerKey owner, string platformId, CancellationToken cancellationToken = default)
    {
        var entry = WithOwner(owner, create: false, entries => entries.Values.GetValueOrDefault(platformId));
        return ValueTask.FromResult(entry is null ? null : Open(owner, platformId, entry));
    }

    public ValueTask<IReadOnlyList<PlatformConnection>> ListAsync(OwnerKey owner, CancellationToken cancellationToken = default)
    {
        var values = WithOwner(owner, create: false, entries => entries.Values.ToArray()) ?? [];
        IReadOnlyList<PlatformConnection> connections = [.. values
            .Select(pair => Open(owner, pair.Key, pair.Value))
            .OfType<PlatformConnection>()
            .OrderBy(c => c.PlatformId, StringComparer.Ordinal)];
        return ValueTask.FromResult(connections);
    }

    public ValueTask SaveAsync(OwnerKey owner, PlatformConnection connection, CancellationToken cancellationToken = default)
    {
        var entry = new SealedConnection(sealer.Seal(owner, connection));
        WithOwner(owner, create: true, entries => entries.Values[connection.PlatformId] = entry);
        SweepWhenDue();
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> RemoveAsync(OwnerKey owner, string platformId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(WithOwner(owner, create: false, entries => (bool?)entries.Values.Remove(platformId)) ?? false);

    public ValueTask SavePendingAsync(PendingAuthorization pending, CancellationToken cancellationToken = default)
    {
        if (pending.ExpiresAt > time.GetUtcNow())
        {
            _pending[names.Pending(pending.State)] = new SealedPending(sealer.Seal(pending), pending.ExpiresAt);
        }

        SweepWhenDue();
        return ValueTask.CompletedTask;
    }

    public ValueTask<PendingAuthorization?> TakePendingAsync(string state, CancellationToken cancellationToken = default)
    {
        // TryRemove is atomic: of two concurrent takes exactly one gets the entry.
        var taken = _pending.TryRemove(names.Pending(state), out var entry) && entry.ExpiresAt > time.GetUtcNow();
        return ValueTask.FromResult(taken ? sealer.OpenPending(state, entry!.Value) : null);
    }

    /// <summary>The entry's decrypted copy while it is fresh, else the entry opened (and kept for <see cref="_openFor"/>).</summary>
    private PlatformConnection? Open(OwnerKey owner, string platformId, SealedConnection entry)
    {
        var now = time.GetUtcNow();
        if (entry.Opened is { } opened && opened.Until > now)
        {
            return opened.Connection;
        }

        var connection = sealer.OpenConnection(owner, platformId, entry.Value);
        entry.Opened = connection is not null && _openFor > TimeSpan.Zero ? new OpenedConnection(connection, now + _openFor) : null;
        return connection;
    }

    /// <summary>Runs <paramref name="action"/> on the owner's live connections, sliding their expiry.</summary>
    private T? WithOwner<T>(OwnerKey owner, bool create, Func<OwnerConnections, T> action)
    {
        var name = names.Connections(owner);
        while (true)
        {
            var entries = create ? _owners.GetOrAdd(name, _ => new OwnerConnections()) : _owners.GetValueOrDefault(name);
            if (entries is null)
            {
                return default;
            }

            lock (entries)
            {
                var now = time.GetUtcNow();
                if (entries.Evicted || entries.ExpiresAt <= now)
                {
                    Evict(name, entries);
                    if (create)
                    {
                        continue;
                    }

                    return default;
                }

                entries.ExpiresAt = now + _maxAge;
                return action(entries);
            }
        }
    }

    private void Evict(string name, OwnerConnections entries)
    {
        entries.Evicted = true;
        _owners.TryRemove(KeyValuePair.Create(name, entries));
    }

    private void SweepWhenDue()
    {
        var now = time.GetUtcNow();
        var due = Interlocked.Read(ref _nextSweep);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweep, (now + SweepInterval).UtcTicks, due) != due)
        {
            return;
        }

        foreach (var (name, pending) in _pending)
        {
            if (pending.ExpiresAt <= now)
            {
                _pending.TryRemove(KeyValuePair.Create(name, pending));
            }
        }

        foreach (var (name, entries) in _owners)
        {
            lock (entries)
            {
                if (entries.ExpiresAt <= now)
                {
                    Evict(name, entries);
                    continue;
                }

                foreach (var entry in entries.Values.Values)
                {
                    if (entry.Opened is { } opened && opened.Until <= now)
                    {
                        entry.Opened = null;
                    }
                }
            }
        }
    }

    private sealed class OwnerConnections
    {
        public Dictionary<string, SealedConnection> Values { get; } = new(StringComparer.Ordinal);

        public DateTimeOffset ExpiresAt { get; set; } = DateTimeOffset.MaxValue;

        public bool Evicted { get; set; }
    }

    /// <summary>A stored connection: sealed, as Redis holds it, and its decrypted copy while that is fresh.</summary>
    private sealed class SealedConnection(byte[] value)
    {
        public byte[] Value { get; } = value;

        /// <summary>Replaced whole (one reference), so concurrent readers see either copy or none, never a mix.</summary>
        public OpenedConnection? Opened { get; set; }
    }

    private sealed record OpenedConnection(PlatformConnection Connection, DateTimeOffset Until);

    private sealed record SealedPending(byte[] Value, DateTimeOffset ExpiresAt);
}
