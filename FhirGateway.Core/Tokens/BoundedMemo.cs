using System.Collections.Concurrent;

namespace FhirGateway.Core.Tokens;

/// <summary>
/// Values derived from an owner that every request asks for again (storage names, pseudonyms), kept so the hash
/// behind them runs once per owner. Holds at most <c>capacity</c>; past it, it starts again empty. Holds the
/// owner keys, which every request of theirs brings into memory anyway.
/// </summary>
internal sealed class BoundedMemo<TKey, TValue>(int capacity, Func<TKey, TValue> compute)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _values = new();

    public TValue this[TKey key]
    {
        get
        {
            if (_values.TryGetValue(key, out var value))
            {
                return value;
            }

            value = compute(key);
            if (_values.Count >= capacity)
            {
                _values.Clear();
            }

            _values.TryAdd(key, value);
            return value;
        }
    }

    /// <summary>
    /// The value kept for a key given in another form (e.g. a string key as characters), without making the key;
    /// the dictionary's comparer must support that form (the default string comparer does for spans).
    /// </summary>
    public bool TryGet<TAlternate>(TAlternate key, out TValue value)
        where TAlternate : notnull, allows ref struct =>
        _values.GetAlternateLookup<TAlternate>().TryGetValue(key, out value!);
}
