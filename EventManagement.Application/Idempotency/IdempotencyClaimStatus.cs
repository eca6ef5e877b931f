namespace EventManagement.Application.Idempotency;

/// <summary>The state of an Idempotency-Key when a request arrives with it.</summary>
public enum IdempotencyClaimStatus
{
    /// <summary>The key was free; this request holds it now and must complete or release it.</summary>
    Claimed,

    /// <summary>Another request with the key is still in flight.</summary>
    InFlight,

    /// <summary>A request with the key was answered; its record is kept for the retention.</summary>
    Completed,
}
