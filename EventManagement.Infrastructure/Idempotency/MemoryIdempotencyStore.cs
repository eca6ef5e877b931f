using EventManagement.Application.Idempotency;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace EventManagement.Infrastructure.Idempotency;

/// <summary>
/// Idempotency-Key records in this process's memory (when no Redis is configured): a MemoryCache of its own, bounded
/// by <see cref="IdempotencyOptions.MemorySizeLimitBytes"/>, so records never crowd out cached events. Expiry is
/// judged by the injected clock; the cache's own expiry only frees the memory.
/// </summary>
internal sealed class MemoryIdempotencyStore : IIdempotencyStore, IDisposable
{
    private readonly MemoryCache _entries;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();

    public MemoryIdempotencyStore(IOptions<IdempotencyOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _entries = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.MemorySizeLimitBytes });
        _timeProvider = timeProvider;
    }

    public Task<IdempotencyClaim> TryClaimAsync(string key, string fingerprint, TimeSpan claimFor, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (Find(key) is { } existing)
            {
                return Task.FromResult(existing.Record is { } record
                    ? IdempotencyClaim.Completed(record)
                    : IdempotencyClaim.InFlight(existing.Fingerprint));
            }

            var token = Guid.NewGuid().ToString("N");
            Store(key, new Entry(fingerprint, token, null, _timeProvider.GetUtcNow() + claimFor), claimFor);
            return Task.FromResult(IdempotencyClaim.Claimed(fingerprint, token));
        }
    }

    public Task CompleteAsync(string key, IdempotencyRecord record, TimeSpan retention, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            Store(key, new Entry(record.Fingerprint, null, record, _timeProvider.GetUtcNow() + retention), retention);
        }

        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string key, string token, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (Find(key) is { Token: { } held } && held == token)
            {
                _entries.Remove(key);
            }
        }

        return Task.CompletedTask;
    }

    public void Dispose() => _entries.Dispose();

    private Entry? Find(string key) =>
        _entries.TryGetValue(key, out Entry? entry) && entry!.ExpiresAt > _timeProvider.GetUtcNow() ? entry : null;

    private void Store(string key, Entry entry, TimeSpan lifetime) =>
        _entries.Set(key, entry, new MemoryCacheEntryOptions
        {
            AbsoluteExpirationRelativeToNow = lifetime,
            Size = EstimatedBytes(key, entry),
        });

    // Strings are UTF-16 in memory; the rest is object headers and fields, roughly.
    private static long EstimatedBytes(string key, Entry entry)
    {
        var text = key.Length + entry.Fingerprint.Length + (entry.Token?.Length ?? 0);
        if (entry.Record?.Event is { } added)
        {
            text += added.Id.Length + added.Name.Length + added.UserId.Length + (added.Details?.Length ?? 0);
        }

        return 256 + (2L * text);
    }

    private sealed record Entry(string Fingerprint, string? Token, IdempotencyRecord? Record, DateTimeOffset ExpiresAt);
}
