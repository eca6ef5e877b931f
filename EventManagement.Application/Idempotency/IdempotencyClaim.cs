namespace EventManagement.Application.Idempotency;

/// <summary>What <see cref="IIdempotencyStore.TryClaimAsync"/> found for a key.</summary>
/// <param name="Status">Whether the key is now ours, held by a request in flight, or already answered.</param>
/// <param name="Fingerprint">The fingerprint of the request that holds or answered the key.</param>
/// <param name="Token">When claimed: the token that releases the claim (and only this claim).</param>
/// <param name="Record">When completed: the answer to replay.</param>
public sealed record IdempotencyClaim(IdempotencyClaimStatus Status, string Fingerprint, string? Token, IdempotencyRecord? Record)
{
    public static IdempotencyClaim Claimed(string fingerprint, string token) => new(IdempotencyClaimStatus.Claimed, fingerprint, token, null);

    public static IdempotencyClaim InFlight(string fingerprint) => new(IdempotencyClaimStatus.InFlight, fingerprint, null, null);

    public static IdempotencyClaim Completed(IdempotencyRecord record) =>
        new(IdempotencyClaimStatus.Completed, record?.Fingerprint ?? throw new ArgumentNullException(nameof(record)), null, record);
}
