namespace EventManagement.Application.Idempotency;

/// <summary>
/// Where Idempotency-Key records live: Redis when configured (shared by every replica), else this process's memory.
/// Every operation is atomic per key. A store that cannot be reached throws <see cref="IdempotencyStoreUnavailableException"/>.
/// </summary>
public interface IIdempotencyStore
{
    /// <summary>
    /// Claims <paramref name="key"/> for a first request (held for <paramref name="claimFor"/> unless completed or
    /// released first), or tells who holds it or what it was answered.
    /// </summary>
    Task<IdempotencyClaim> TryClaimAsync(string key, string fingerprint, TimeSpan claimFor, CancellationToken cancellationToken);

    /// <summary>Replaces the claim with the final answer, kept for <paramref name="retention"/>.</summary>
    Task CompleteAsync(string key, IdempotencyRecord record, TimeSpan retention, CancellationToken cancellationToken);

    /// <summary>Frees the key if the claim <paramref name="token"/> still holds it (the request got no final answer).</summary>
    Task ReleaseAsync(string key, string token, CancellationToken cancellationToken);
}
