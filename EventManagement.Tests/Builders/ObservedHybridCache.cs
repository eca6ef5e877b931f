using Microsoft.Extensions.Caching.Hybrid;

namespace EventManagement.Tests.Builders;

/// <summary>
/// A pass-through <see cref="HybridCache"/> that reports each <c>GetOrCreateAsync</c> once the inner cache has
/// taken the call in (so the caller has joined any fetch already in flight for the key), before awaiting it.
/// </summary>
internal sealed class ObservedHybridCache(HybridCache inner, Action onGetOrCreate) : HybridCache
{
    public override ValueTask<T> GetOrCreateAsync<TState, T>(
        string key,
        TState state,
        Func<TState, CancellationToken, ValueTask<T>> factory,
        HybridCacheEntryOptions? options = null,
        IEnumerable<string>? tags = null,
        CancellationToken cancellationToken = default)
    {
        var pending = inner.GetOrCreateAsync(key, state, factory, options, tags, cancellationToken);
        onGetOrCreate();
        return pending;
    }

    public override ValueTask SetAsync<T>(
        string key,
        T value,
        HybridCacheEntryOptions? options = null,
        IEnumerable<string>? tags = null,
        CancellationToken cancellationToken = default) =>
        inner.SetAsync(key, value, options, tags, cancellationToken);

    public override ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default) =>
        inner.RemoveAsync(key, cancellationToken);

    public override ValueTask RemoveByTagAsync(string tag, CancellationToken cancellationToken = default) =>
        inner.RemoveByTagAsync(tag, cancellationToken);
}
